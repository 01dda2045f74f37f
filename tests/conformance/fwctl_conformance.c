/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * fwctl conformance suite: every errno path of FWCTL_INFO and FWCTL_RPC on an
 * mlx5 device, from the uAPI facts in fwctl_uapi.h. Each case lays out fresh
 * memory (4 pages: the struct, the `in` buffer, the `out` buffer, and a page
 * cases turn into a hole or make read-only), issues one ioctl and prints one
 * line: "<case> <errno> [what came back]" (errno 0 = success; pointers are
 * never printed, so two processes' outputs compare byte for byte).
 *
 * Built two ways:
 *   - a program: `fwctl_conformance NODE` opens NODE and issues real ioctl(2)s;
 *   - a shared library (-DCONFORMANCE_LIB): fwctl_conformance_run() with the
 *     caller's ioctl function, so a test can run the very same calls through
 *     the in-process dispatcher and compare the outputs (differential).
 *
 * `fwctl_conformance NODE twice` (fwctl_conformance_run_twice()) issues each
 * ioctl twice in a row and reports the second: a path that keeps state from
 * one call to the next (fwctl exec's library receives a reply straight into
 * the caller's memory when the previous call named the same struct and `out`)
 * then answers every case with that state too. `four`
 * (fwctl_conformance_run_four()) issues each four times and reports the last:
 * under `FWCTL_EXEC_SPECULATE=always` the library then sends the repeated
 * calls without reading their struct, and the daemon checks its guess.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fwctl_uapi.h"

/* ioctl(fd, cmd, arg): 0 or -errno. */
typedef int (*conf_ioctl_fn)(int fd, unsigned long cmd, void *arg);

struct out {
	char *buf;
	size_t len, used;
};

static void say(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n < o->len - o->used ? (size_t)n : o->len - o->used - 1;
}

static void hex(struct out *o, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		say(o, "%02x", p[i]);
}

static size_t page;

struct mem {
	unsigned char *base;
};

static int mem_new(struct mem *m)
{
	m->base = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return m->base == MAP_FAILED ? -1 : 0;
}

static void mem_free(struct mem *m)
{
	munmap(m->base, 4 * page);
}

static unsigned char *pg(struct mem *m, int i)
{
	return m->base + i * page;
}

static void hole(struct mem *m)
{
	munmap(pg(m, 3), page);
}

static void read_only(struct mem *m)
{
	mprotect(pg(m, 3), page, PROT_READ);
}

/* The mlx5 QUERY_ADAPTER mailbox (16 bytes) with an optional uid. */
static void query_adapter(unsigned char *in, unsigned uid)
{
	memset(in, 0, 16);
	in[0] = CONF_MLX5_QUERY_ADAPTER >> 8;
	in[1] = CONF_MLX5_QUERY_ADAPTER & 0xff;
	in[2] = uid >> 8;
	in[3] = uid & 0xff;
}

static struct conf_fwctl_info *info_at(void *at, uint32_t size, uint32_t flags, uint32_t len, void *data)
{
	struct conf_fwctl_info *i = at;
	memset(i, 0, size > sizeof(*i) ? size : sizeof(*i));
	i->size = size;
	i->flags = flags;
	i->device_data_len = len;
	i->out_device_data = (uintptr_t)data;
	return i;
}

static struct conf_fwctl_rpc *rpc_at(void *at, uint32_t scope, uint32_t in_len, void *in, uint32_t out_len, void *out)
{
	struct conf_fwctl_rpc *r = at;
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->scope = scope;
	r->in_len = in_len;
	r->in = (uintptr_t)in;
	r->out_len = out_len;
	r->out = (uintptr_t)out;
	return r;
}

/* One case: fresh memory, set up, one ioctl, one line. */
#define CASE(name) for (int once_ = (mem_new(&m) == 0); once_; once_ = 0, mem_free(&m)) \
	for (const char *case_ = (name); case_; case_ = NULL)
#define RESULT(e) say(o, "%s %d", case_, -(e))

static void info_line(struct out *o, struct conf_fwctl_info *i, const unsigned char *data, size_t n)
{
	say(o, " type %u len %u data ", i->out_device_type, i->device_data_len);
	hex(o, data, n);
	say(o, "\n");
}

static void rpc_line(struct out *o, struct conf_fwctl_rpc *r, const unsigned char *out, size_t n)
{
	say(o, " out_len %u out ", r->out_len);
	hex(o, out, n);
	say(o, "\n");
}

int fwctl_conformance_run(int fd, conf_ioctl_fn io, char *buf, size_t len)
{
	struct out ob = { buf, len, 0 }, *o = &ob;
	struct mem m;
	int e;

	page = (size_t)sysconf(_SC_PAGESIZE);
	buf[0] = 0;

	/* The ioctl number: anything but _IO(0x9A, 0|1) is ENOTTY. */
	CASE("nr-2") { e = io(fd, _IO(CONF_FWCTL_TYPE, 2), info_at(pg(&m, 0), 24, 0, 0, NULL)); RESULT(e); say(o, "\n"); }
	CASE("type-0x9b") { e = io(fd, _IO(0x9B, 0), info_at(pg(&m, 0), 24, 0, 0, NULL)); RESULT(e); say(o, "\n"); }
	CASE("iowr-info") { e = io(fd, _IOWR(CONF_FWCTL_TYPE, 0, struct conf_fwctl_info), info_at(pg(&m, 0), 24, 0, 0, NULL)); RESULT(e); say(o, "\n"); }

	/* The size word and copy_struct_from_user. */
	CASE("null-arg") { e = io(fd, CONF_FWCTL_INFO, NULL); RESULT(e); say(o, "\n"); }
	CASE("arg-in-hole") { hole(&m); e = io(fd, CONF_FWCTL_INFO, pg(&m, 3)); RESULT(e); say(o, "\n"); }
	CASE("info-size-23") { e = io(fd, CONF_FWCTL_INFO, info_at(pg(&m, 0), 23, 0, 0, NULL)); RESULT(e); say(o, "\n"); }
	CASE("rpc-size-31") {
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), 0, 0, NULL, 0, NULL);
		r->size = 31;
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); say(o, "\n");
	}
	CASE("info-size-32-zero-tail") {
		struct conf_fwctl_info *i = info_at(pg(&m, 0), 32, 0, 0, NULL);
		e = io(fd, CONF_FWCTL_INFO, i); RESULT(e);
		say(o, " size %u", i->size); info_line(o, i, NULL, 0);
	}
	CASE("info-size-32-nonzero-tail") {
		struct conf_fwctl_info *i = info_at(pg(&m, 0), 32, 0, 0, NULL);
		((unsigned char *)i)[30] = 1;
		e = io(fd, CONF_FWCTL_INFO, i); RESULT(e); say(o, "\n");
	}
	CASE("struct-tail-straddling-a-hole") {
		struct conf_fwctl_info *i = info_at(pg(&m, 3) - 24, 24, 0, 0, NULL);
		i->size = 40;
		hole(&m);
		e = io(fd, CONF_FWCTL_INFO, i); RESULT(e); say(o, "\n");
	}

	/* FWCTL_INFO. */
	CASE("info-flags-1") { e = io(fd, CONF_FWCTL_INFO, info_at(pg(&m, 0), 24, 1, 0, NULL)); RESULT(e); say(o, "\n"); }
	CASE("info-len-0-quirk") {
		/* device_data_len 0: the driver's info is not asked for and 0 is reported. */
		struct conf_fwctl_info *i = info_at(pg(&m, 0), 24, 0, 0, NULL);
		e = io(fd, CONF_FWCTL_INFO, i); RESULT(e); info_line(o, i, NULL, 0);
	}
	CASE("info-16-zero-filled") {
		memset(pg(&m, 2), 0xEE, 16);
		struct conf_fwctl_info *i = info_at(pg(&m, 0), 24, 0, 16, pg(&m, 2));
		e = io(fd, CONF_FWCTL_INFO, i); RESULT(e); info_line(o, i, pg(&m, 2), 16);
	}
	CASE("info-4-truncated") {
		memset(pg(&m, 2), 0xEE, 16);
		struct conf_fwctl_info *i = info_at(pg(&m, 0), 24, 0, 4, pg(&m, 2));
		e = io(fd, CONF_FWCTL_INFO, i); RESULT(e); info_line(o, i, pg(&m, 2), 8);
	}
	CASE("info-data-in-hole") { hole(&m); e = io(fd, CONF_FWCTL_INFO, info_at(pg(&m, 0), 24, 0, 8, pg(&m, 3))); RESULT(e); say(o, "\n"); }
	CASE("info-data-read-only") { read_only(&m); e = io(fd, CONF_FWCTL_INFO, info_at(pg(&m, 0), 24, 0, 8, pg(&m, 3))); RESULT(e); say(o, "\n"); }
	CASE("info-data-straddling-a-hole") {
		memset(pg(&m, 3) - 4, 0xEE, 4);
		hole(&m);
		e = io(fd, CONF_FWCTL_INFO, info_at(pg(&m, 0), 24, 0, 8, pg(&m, 3) - 4)); RESULT(e);
		say(o, " before-hole "); hex(o, pg(&m, 3) - 4, 4); say(o, "\n");
	}

	/* FWCTL_RPC. */
	CASE("rpc-in-too-long") {
		query_adapter(pg(&m, 1), 0);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, CONF_MAX_RPC_LEN + 1, pg(&m, 1), 272, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-out-too-long") {
		query_adapter(pg(&m, 1), 0);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, 16, pg(&m, 1), CONF_MAX_RPC_LEN + 1, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-scope-4") {
		query_adapter(pg(&m, 1), 0);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 4, 16, pg(&m, 1), 272, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-query-adapter") {
		query_adapter(pg(&m, 1), 0);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), CONF_SCOPE_CONFIGURATION, 16, pg(&m, 1), 272, pg(&m, 2));
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); rpc_line(o, r, pg(&m, 2), 272);
	}
	CASE("rpc-out-truncated") {
		query_adapter(pg(&m, 1), 0);
		memset(pg(&m, 2), 0xEE, 32);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), CONF_SCOPE_CONFIGURATION, 16, pg(&m, 1), 16, pg(&m, 2));
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); rpc_line(o, r, pg(&m, 2), 32);
	}
	CASE("rpc-uid-spoofed") {
		/* The driver stamps the uctx's uid over whatever the caller wrote. */
		query_adapter(pg(&m, 1), 0xBEEF);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), CONF_SCOPE_CONFIGURATION, 16, pg(&m, 1), 272, pg(&m, 2));
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); rpc_line(o, r, pg(&m, 2), 272);
	}
	CASE("rpc-in-place") {
		/* One buffer for in and out, as tools that reuse the mailbox do. */
		query_adapter(pg(&m, 1), 0);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), CONF_SCOPE_CONFIGURATION, 16, pg(&m, 1), 272, pg(&m, 1));
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); rpc_line(o, r, pg(&m, 1), 272);
	}
	CASE("rpc-not-on-the-allow-list") {
		memset(pg(&m, 1), 0, 64);
		pg(&m, 1)[0] = CONF_MLX5_CREATE_MKEY >> 8;
		pg(&m, 1)[1] = CONF_MLX5_CREATE_MKEY & 0xff;
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), CONF_SCOPE_DEBUG_WRITE_FULL - 1, 64, pg(&m, 1), 16, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-mailbox-too-short") {
		query_adapter(pg(&m, 1), 0);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, 4, pg(&m, 1), 272, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-in-null-len-0") { e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, 0, NULL, 0, NULL)); RESULT(e); say(o, "\n"); }
	CASE("rpc-in-in-hole") {
		hole(&m);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, 16, pg(&m, 3), 272, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-in-straddling-a-hole") {
		query_adapter(pg(&m, 3) - 8, 0);
		hole(&m);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, 16, pg(&m, 3) - 8, 272, pg(&m, 2))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-out-read-only") {
		query_adapter(pg(&m, 1), 0);
		read_only(&m);
		e = io(fd, CONF_FWCTL_RPC, rpc_at(pg(&m, 0), 0, 16, pg(&m, 1), 272, pg(&m, 3))); RESULT(e); say(o, "\n");
	}
	CASE("rpc-out-straddling-a-hole") {
		query_adapter(pg(&m, 1), 0);
		hole(&m);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), 0, 16, pg(&m, 1), 272, pg(&m, 3) - 8);
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e);
		/* copy_to_user wrote up to the hole; out_len is not updated on EFAULT. */
		say(o, " out_len %u before-hole ", r->out_len); hex(o, pg(&m, 3) - 8, 8); say(o, "\n");
	}
	CASE("rpc-struct-read-only") {
		query_adapter(pg(&m, 1), 0);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 3), 0, 16, pg(&m, 1), 272, pg(&m, 2));
		read_only(&m);
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); say(o, " out "); hex(o, pg(&m, 2), 8); say(o, "\n");
	}
	/* The scope rules: DEBUG_WRITE_FULL needs CAP_SYS_RAWIO (EPERM without). */
	CASE("rpc-debug-read-only") {
		query_adapter(pg(&m, 1), 0);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), CONF_SCOPE_DEBUG_READ_ONLY, 16, pg(&m, 1), 272, pg(&m, 2));
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); say(o, " out_len %u\n", r->out_len);
	}
	CASE("rpc-debug-write-full") {
		query_adapter(pg(&m, 1), 0);
		struct conf_fwctl_rpc *r = rpc_at(pg(&m, 0), CONF_SCOPE_DEBUG_WRITE_FULL, 16, pg(&m, 1), 272, pg(&m, 2));
		e = io(fd, CONF_FWCTL_RPC, r); RESULT(e); say(o, " out_len %u\n", r->out_len);
	}
	return ob.used + 1 >= len ? -1 : 0;
}

static conf_ioctl_fn repeat_inner;
static int repeat_times;

static int repeat_io(int fd, unsigned long cmd, void *arg)
{
	for (int i = 1; i < repeat_times; i++)
		repeat_inner(fd, cmd, arg);
	return repeat_inner(fd, cmd, arg);
}

static int run_times(int fd, conf_ioctl_fn io, char *buf, size_t len, int times)
{
	repeat_inner = io;
	repeat_times = times;
	return fwctl_conformance_run(fd, repeat_io, buf, len);
}

int fwctl_conformance_run_twice(int fd, conf_ioctl_fn io, char *buf, size_t len)
{
	return run_times(fd, io, buf, len, 2);
}

int fwctl_conformance_run_four(int fd, conf_ioctl_fn io, char *buf, size_t len)
{
	return run_times(fd, io, buf, len, 4);
}

#ifndef CONFORMANCE_LIB
static int real_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

int main(int argc, char **argv)
{
	static char buf[64 * 1024];

	int times = argc == 2 ? 1 : argc != 3 ? 0 : strcmp(argv[2], "twice") == 0 ? 2 : strcmp(argv[2], "four") == 0 ? 4 : 0;
	if (times == 0) {
		fprintf(stderr, "usage: %s NODE [twice|four]\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("open %d\n", errno);
		return 1;
	}
	int r = times > 1 ? run_times(fd, real_ioctl, buf, sizeof(buf), times)
			  : fwctl_conformance_run(fd, real_ioctl, buf, sizeof(buf));
	fputs(buf, stdout);
	close(fd);
	return r == 0 ? 0 : 1;
}
#endif
