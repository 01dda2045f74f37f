/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pds-sim: a small pds-like fwctl device, written in C against fwctl_plugin.h.
 *
 * Modelled on the AMD/Pensando pds fwctl driver: the firmware exposes
 * endpoints, each with operations carrying an attribute, and the attribute
 * decides the minimum scope (READ/WRITE/SYNC -> CONFIGURATION,
 * DEBUG_READ -> DEBUG_READ_ONLY, DEBUG_WRITE -> DEBUG_WRITE, anything else ->
 * DEBUG_WRITE_FULL). A request below its operation's scope gets -EPERM; an
 * unknown endpoint or operation, or any bad length, gets -EINVAL.
 *
 * RPC envelope (native byte order):
 *   request  = struct pds_sim_req  { u32 op; u32 ep; u32 rsvd (0); u32 len; u8 payload[len]; }
 *   response = struct pds_sim_resp { u32 retval; u32 rsvd[2]; u32 len; u8 payload[len]; }
 * len must equal the bytes that follow the 16-byte header and the payload
 * size the operation expects. retval is the device's in-band status
 * (0 SUCCESS, 1 BAD_INDEX); a delivered RPC returns 0 even when retval != 0.
 *
 * Endpoints and operations (ep.op: name, attribute -> scope, payload in/out):
 *   0.0 query_endpoints   READ        -> CONFIGURATION     0 / 4 + 8*n  (count; {id, n_ops}...)
 *   0.1 query_operations  READ        -> CONFIGURATION     4 / 4 + 12*n (count; {op, attr, scope}...)
 *   1.0 get_param         READ        -> CONFIGURATION     4 / 4        (index < 16 -> value)
 *   1.1 set_param         WRITE       -> CONFIGURATION     8 / 0        (index, value)
 *   1.2 sync              SYNC        -> CONFIGURATION     0 / 4        (-> generation)
 *   2.0 read_counters     DEBUG_READ  -> DEBUG_READ_ONLY   0 / 8        (rpcs, in-band errors)
 *   2.1 peek              DEBUG_READ  -> DEBUG_READ_ONLY   4 / 4        (offset < 64 -> word)
 *   2.2 clear_counters    DEBUG_WRITE -> DEBUG_WRITE       0 / 0
 *   2.3 poke              RAW         -> DEBUG_WRITE_FULL  8 / 0        (offset, word)
 *
 * FWCTL_INFO data: struct fwctl_info_pds { u32 uctx_caps } = QUERY_CAP|SEND_CAP (0x3).
 * probe config: "" (one device) or "devices=N" with 1 <= N <= 8.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwctl_plugin.h"

#define PDS_SIM_HDR 16u
#define PDS_SIM_PARAMS 16u
#define PDS_SIM_SCRATCH 64u
#define PDS_SIM_MAX_DEVICES 8u

enum pds_sim_attr { ATTR_READ, ATTR_WRITE, ATTR_SYNC, ATTR_DEBUG_READ, ATTR_DEBUG_WRITE, ATTR_RAW };
enum pds_sim_retval { RET_SUCCESS = 0, RET_BAD_INDEX = 1 };

struct pds_sim_op {
	uint32_t ep, op;
	const char *name;
	enum pds_sim_attr attr;
	uint32_t in_len, out_len; /* payload sizes; out_len UINT32_MAX = variable */
	uint32_t effects;
};

#define VARIABLE UINT32_MAX
static const struct pds_sim_op OPS[] = {
	{ 0, 0, "mgmt.query_endpoints", ATTR_READ, 0, VARIABLE, FWCTL_PLUGIN_EFFECT_READ },
	{ 0, 1, "mgmt.query_operations", ATTR_READ, 4, VARIABLE, FWCTL_PLUGIN_EFFECT_READ },
	{ 1, 0, "config.get_param", ATTR_READ, 4, 4, FWCTL_PLUGIN_EFFECT_READ },
	{ 1, 1, "config.set_param", ATTR_WRITE, 8, 0, FWCTL_PLUGIN_EFFECT_WRITE_CONFIG },
	{ 1, 2, "config.sync", ATTR_SYNC, 0, 4, FWCTL_PLUGIN_EFFECT_WRITE_CONFIG },
	{ 2, 0, "debug.read_counters", ATTR_DEBUG_READ, 0, 8, FWCTL_PLUGIN_EFFECT_DEBUG_READ },
	{ 2, 1, "debug.peek", ATTR_DEBUG_READ, 4, 4, FWCTL_PLUGIN_EFFECT_DEBUG_READ },
	{ 2, 2, "debug.clear_counters", ATTR_DEBUG_WRITE, 0, 0, FWCTL_PLUGIN_EFFECT_WRITE_DEBUG },
	{ 2, 3, "debug.poke", ATTR_RAW, 8, 0, FWCTL_PLUGIN_EFFECT_WRITE_DEBUG | FWCTL_PLUGIN_EFFECT_DISRUPTIVE },
};
#define N_OPS (sizeof(OPS) / sizeof(OPS[0]))
#define N_EPS 3u

struct pds_sim_dev {
	pthread_mutex_t lock;
	uint32_t index;
	uint32_t params[PDS_SIM_PARAMS];
	uint32_t scratch[PDS_SIM_SCRATCH];
	uint32_t generation;
	uint32_t rpcs, errors;
};

struct pds_sim_ctx {
	struct pds_sim_dev *dev;
};

/* pds: the operation attribute decides the minimum scope. */
static int32_t attr_scope(enum pds_sim_attr a)
{
	switch (a) {
	case ATTR_READ:
	case ATTR_WRITE:
	case ATTR_SYNC:
		return FWCTL_PLUGIN_SCOPE_CONFIGURATION;
	case ATTR_DEBUG_READ:
		return FWCTL_PLUGIN_SCOPE_DEBUG_READ_ONLY;
	case ATTR_DEBUG_WRITE:
		return FWCTL_PLUGIN_SCOPE_DEBUG_WRITE;
	default:
		return FWCTL_PLUGIN_SCOPE_DEBUG_WRITE_FULL;
	}
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static const struct pds_sim_op *find_op(uint32_t ep, uint32_t op)
{
	for (size_t i = 0; i < N_OPS; i++)
		if (OPS[i].ep == ep && OPS[i].op == op)
			return &OPS[i];
	return NULL;
}

/* Check the envelope; on success *opp is the operation (NULL if unknown). */
static int32_t parse(const uint8_t *req, uint32_t len, const struct pds_sim_op **opp)
{
	if (!req || len < PDS_SIM_HDR)
		return -EINVAL;
	if (get32(req + 8) != 0 || get32(req + 12) != len - PDS_SIM_HDR)
		return -EINVAL;
	*opp = find_op(get32(req + 4), get32(req));
	return 0;
}

static uint32_t n_ops_of(uint32_t ep)
{
	uint32_t n = 0;
	for (size_t i = 0; i < N_OPS; i++)
		n += OPS[i].ep == ep;
	return n;
}

static int32_t sim_probe(const char *config, uint32_t config_len, void **devices,
			 uint32_t max_devices, uint32_t *n_devices)
{
	unsigned long n = 1;
	if (!devices || !n_devices)
		return -EINVAL;
	if (config && config_len > 0) {
		char *end = NULL;
		if (strncmp(config, "devices=", 8) != 0)
			return -EINVAL;
		n = strtoul(config + 8, &end, 10);
		if (end == config + 8 || *end != '\0' || n < 1 || n > PDS_SIM_MAX_DEVICES)
			return -EINVAL;
	}
	if (n > max_devices)
		return -ENOSPC;
	for (uint32_t i = 0; i < n; i++) {
		struct pds_sim_dev *d = calloc(1, sizeof(*d));
		if (!d) {
			while (i--) {
				pthread_mutex_destroy(&((struct pds_sim_dev *)devices[i])->lock);
				free(devices[i]);
			}
			return -ENOMEM;
		}
		pthread_mutex_init(&d->lock, NULL);
		d->index = i;
		for (uint32_t p = 0; p < PDS_SIM_PARAMS; p++)
			d->params[p] = 0x100 + p;
		devices[i] = d;
	}
	*n_devices = (uint32_t)n;
	return 0;
}

static void sim_remove(void *device)
{
	struct pds_sim_dev *d = device;
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static uint32_t fill(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n > cap)
		n = cap;
	memcpy(dst, src, n);
	return (uint32_t)n;
}

static int32_t sim_identity(void *device, struct fwctl_plugin_identity *out)
{
	struct pds_sim_dev *d = device;
	char buf[64];
	if (!out || out->struct_size < sizeof(*out))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "pds-sim:%u", d->index);
	out->parent_len = fill(out->parent, sizeof(out->parent), buf);
	out->fw_version_len = fill(out->fw_version, sizeof(out->fw_version), "1.2.3-sim");
	snprintf(buf, sizeof(buf), "PDSSIM%04u", d->index);
	out->serial_len = fill(out->serial, sizeof(out->serial), buf);
	return 0;
}

static int32_t sim_open(void *device, void **ctx)
{
	struct pds_sim_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->dev = device;
	*ctx = c;
	return 0;
}

static void sim_close(void *ctx)
{
	free(ctx);
}

static int32_t sim_info(void *ctx, uint8_t *out, uint32_t capacity, uint32_t *out_len)
{
	(void)ctx;
	/* struct fwctl_info_pds: uctx_caps = BIT(PDS_FWCTL_QUERY_CAP) | BIT(PDS_FWCTL_SEND_CAP) */
	if (capacity < 4)
		return -EINVAL;
	put32(out, (1u << 0) | (1u << 1));
	*out_len = 4;
	return 0;
}

static int32_t sim_describe(void *device, const uint8_t *req, uint32_t len,
			    struct fwctl_plugin_describe *out)
{
	const struct pds_sim_op *op;
	int32_t ret;
	(void)device;
	if (!out || out->struct_size < sizeof(*out))
		return -EINVAL;
	ret = parse(req, len, &op);
	if (ret)
		return ret;
	out->opcode = get32(req);
	out->op_mod = get32(req + 4);
	if (!op) {
		out->min_scope = FWCTL_PLUGIN_SCOPE_NONE;
		return 0;
	}
	out->min_scope = attr_scope(op->attr);
	out->effects = op->effects;
	out->name_len = fill(out->name, sizeof(out->name), op->name);
	if (op->out_len != VARIABLE) {
		out->flags |= FWCTL_PLUGIN_DESCRIBE_EXPECTED_OUT_LEN;
		out->expected_out_len = PDS_SIM_HDR + op->out_len;
	}
	return 0;
}

static int32_t sim_decode_status(void *device, const uint8_t *resp, uint32_t len,
				 struct fwctl_plugin_status *out)
{
	uint32_t rv;
	(void)device;
	if (!resp || len < PDS_SIM_HDR || !out || out->struct_size < sizeof(*out))
		return 0;
	rv = get32(resp);
	out->code = rv;
	out->flags = rv == RET_SUCCESS ? FWCTL_PLUGIN_STATUS_OK : 0;
	out->name_len = fill(out->name, sizeof(out->name),
			     rv == RET_SUCCESS ? "SUCCESS" : rv == RET_BAD_INDEX ? "BAD_INDEX" : "UNKNOWN");
	return 1;
}

/* Execute op with the device locked; writes the response payload to p. */
static uint32_t execute(struct pds_sim_dev *d, const struct pds_sim_op *op, const uint8_t *in,
			uint8_t *p, uint32_t *plen)
{
	uint32_t a = op->in_len >= 4 ? get32(in) : 0;
	uint32_t b = op->in_len >= 8 ? get32(in + 4) : 0;
	*plen = op->out_len == VARIABLE ? 0 : op->out_len;
	switch (op->ep << 8 | op->op) {
	case 0x000:
		put32(p, N_EPS);
		for (uint32_t ep = 0; ep < N_EPS; ep++) {
			put32(p + 4 + 8 * ep, ep);
			put32(p + 8 + 8 * ep, n_ops_of(ep));
		}
		*plen = 4 + 8 * N_EPS;
		return RET_SUCCESS;
	case 0x001: {
		uint32_t n = 0;
		if (a >= N_EPS)
			return RET_BAD_INDEX;
		for (size_t i = 0; i < N_OPS; i++) {
			if (OPS[i].ep != a)
				continue;
			put32(p + 4 + 12 * n, OPS[i].op);
			put32(p + 8 + 12 * n, OPS[i].attr);
			put32(p + 12 + 12 * n, (uint32_t)attr_scope(OPS[i].attr));
			n++;
		}
		put32(p, n);
		*plen = 4 + 12 * n;
		return RET_SUCCESS;
	}
	case 0x100:
		if (a >= PDS_SIM_PARAMS)
			return RET_BAD_INDEX;
		put32(p, d->params[a]);
		return RET_SUCCESS;
	case 0x101:
		if (a >= PDS_SIM_PARAMS)
			return RET_BAD_INDEX;
		d->params[a] = b;
		return RET_SUCCESS;
	case 0x102:
		put32(p, ++d->generation);
		return RET_SUCCESS;
	case 0x200:
		put32(p, d->rpcs);
		put32(p + 4, d->errors);
		return RET_SUCCESS;
	case 0x201:
		if (a >= PDS_SIM_SCRATCH)
			return RET_BAD_INDEX;
		put32(p, d->scratch[a]);
		return RET_SUCCESS;
	case 0x202:
		d->rpcs = 0;
		d->errors = 0;
		return RET_SUCCESS;
	case 0x203:
		if (a >= PDS_SIM_SCRATCH)
			return RET_BAD_INDEX;
		d->scratch[a] = b;
		return RET_SUCCESS;
	}
	return RET_BAD_INDEX;
}

/* Largest response payload of a variable-length operation. */
static uint32_t max_out(const struct pds_sim_op *op)
{
	if (op->out_len != VARIABLE)
		return op->out_len;
	return op->op == 0 ? 4 + 8 * N_EPS : 4 + 12 * (uint32_t)N_OPS;
}

static int32_t sim_rpc(void *ctx, uint32_t scope, uint8_t *req, uint32_t req_len, uint8_t *out,
		       uint32_t out_capacity, uint32_t *out_len)
{
	struct pds_sim_dev *d = ((struct pds_sim_ctx *)ctx)->dev;
	const struct pds_sim_op *op;
	uint8_t payload[4 + 12 * N_OPS];
	uint32_t plen = 0, rv;
	int32_t ret = parse(req, req_len, &op);
	if (ret)
		return ret;
	if (!op)
		return -EINVAL; /* unknown endpoint or operation */
	if ((int32_t)scope < attr_scope(op->attr))
		return -EPERM;
	if (req_len - PDS_SIM_HDR != op->in_len || out_capacity < PDS_SIM_HDR + max_out(op))
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	rv = execute(d, op, req + PDS_SIM_HDR, payload, &plen);
	d->rpcs++;
	if (rv != RET_SUCCESS) {
		d->errors++;
		plen = 0;
	}
	pthread_mutex_unlock(&d->lock);
	memset(out, 0, PDS_SIM_HDR);
	put32(out, rv);
	put32(out + 12, plen);
	memcpy(out + PDS_SIM_HDR, payload, plen);
	*out_len = PDS_SIM_HDR + plen;
	return 0;
}

static const struct fwctl_plugin_vtable VTABLE = {
	.abi_version = FWCTL_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct fwctl_plugin_vtable),
	.device_type = FWCTL_PLUGIN_DEVICE_TYPE_PDS,
	.name = "pds-sim",
	.version = "0.1.0",
	.probe = sim_probe,
	.remove = sim_remove,
	.identity = sim_identity,
	.open = sim_open,
	.close = sim_close,
	.info = sim_info,
	.describe = sim_describe,
	.decode_status = sim_decode_status,
	.rpc = sim_rpc,
};

const struct fwctl_plugin_vtable *fwctl_plugin_v1(void)
{
	return &VTABLE;
}
