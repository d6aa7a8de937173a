// SPDX-License-Identifier: GPL-2.0
/*
 * pktsend: known traffic for the guest capture tests.
 *
 *   pktsend udp DST PORT SIZE COUNT [GAP_US]   COUNT datagrams of SIZE payload bytes
 *   pktsend udpmix DST PORT1 PORT2 SIZE COUNT  alternating between two ports
 *   pktsend tcp DST PORT BYTES                 one connection sending BYTES
 *   pktsend tcpsink PORT                       accept one connection, read to EOF
 *
 * Prints what it sent ("sent N") or received ("received N").
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in addr(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
		fprintf(stderr, "pktsend: bad address %s\n", ip);
		exit(1);
	}
	return a;
}

static int udp(int argc, char **argv, int mix)
{
	struct sockaddr_in a1, a2;
	long size, count, gap = 0, i, sent = 0;
	char *buf;
	int fd;

	if (argc < (mix ? 7 : 6))
		return 2;
	a1 = addr(argv[2], atoi(argv[3]));
	a2 = mix ? addr(argv[2], atoi(argv[4])) : a1;
	size = atol(argv[mix ? 5 : 4]);
	count = atol(argv[mix ? 6 : 5]);
	if (!mix && argc > 6)
		gap = atol(argv[6]);
	buf = calloc(1, size + 1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	for (i = 0; i < count; i++) {
		struct sockaddr_in *a = (i & 1) ? &a2 : &a1;

		memset(buf, 'a' + i % 26, size);
		if (sendto(fd, buf, size, 0, (struct sockaddr *)a, sizeof(*a)) == size)
			sent++;
		if (gap)
			usleep(gap);
	}
	printf("sent %ld\n", sent);
	return sent == count ? 0 : 1;
}

static int tcp(int argc, char **argv)
{
	struct sockaddr_in a;
	long total, done = 0;
	static char buf[65536];
	int fd;

	if (argc < 5)
		return 2;
	a = addr(argv[2], atoi(argv[3]));
	total = atol(argv[4]);
	memset(buf, 'x', sizeof(buf));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	while (done < total) {
		long n = total - done < (long)sizeof(buf) ? total - done : (long)sizeof(buf);
		ssize_t w = write(fd, buf, n);

		if (w <= 0)
			die("write");
		done += w;
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	printf("sent %ld\n", done);
	return 0;
}

static int tcpsink(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	static char buf[65536];
	long total = 0;
	int fd, c, one = 1;
	ssize_t n;

	if (argc < 3)
		return 2;
	a.sin_port = htons(atoi(argv[2]));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
		die("listen");
	c = accept(fd, NULL, NULL);
	if (c < 0)
		die("accept");
	while ((n = read(c, buf, sizeof(buf))) > 0)
		total += n;
	close(c);
	printf("received %ld\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	int r = 2;

	if (argc > 1 && !strcmp(argv[1], "udp"))
		r = udp(argc, argv, 0);
	else if (argc > 1 && !strcmp(argv[1], "udpmix"))
		r = udp(argc, argv, 1);
	else if (argc > 1 && !strcmp(argv[1], "tcp"))
		r = tcp(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "tcpsink"))
		r = tcpsink(argc, argv);
	if (r == 2)
		fprintf(stderr, "usage: see the header of pktsend.c\n");
	return r;
}
