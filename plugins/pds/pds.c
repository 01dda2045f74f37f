/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pds: a simulated AMD/Pensando DSC behind the rules of the kernel's pds fwctl
 * driver (drivers/fwctl/pds/main.c, include/uapi/fwctl/pds.h), as a fwctl
 * plugin in C using ABI version 2 (caller memory).
 *
 * Facts restated from the kernel:
 *  - The request is struct fwctl_rpc_pds, 48 bytes:
 *      in  { u32 op @0; u32 ep @4; u32 rsvd @8; u32 len @12; u64 payload @16 }
 *      out { u32 retval @24; u32 rsvd[2] @28; u32 len @36; u64 payload @40 }
 *    payload fields are the caller's pointers. The reply is the same struct,
 *    in place, with out.retval set and out_len = in_len; the response payload
 *    (out.len bytes, zero-filled past what the firmware wrote) is copied to
 *    out.payload. out.len is never updated. rsvd fields are never checked.
 *  - Checks, in order: in_len < 48 -> EINVAL; in.len > max_req_sz -> EINVAL;
 *    out.len > max_resp_sz -> EINVAL; endpoint not among the probed ones ->
 *    EINVAL; the endpoint's operation list (fetched lazily, cached) cannot be
 *    fetched -> ENOMEM; operation match (command bits 0-15 equal, requested
 *    version bits 16-23 <= the firmware's): scope below the op's -> EPERM, no
 *    match -> EINVAL; in.payload unreadable -> EFAULT; adminq failure -> its
 *    errno (not delivered); out.payload unwritable -> EFAULT.
 *  - Firmware attribute -> scope: READ 0x00, WRITE 0x04, SYNC 0x10 ->
 *    CONFIGURATION; DEBUG_READ 0x02 -> DEBUG_READ_ONLY; DEBUG_WRITE 0x08 ->
 *    DEBUG_WRITE; anything else -> DEBUG_WRITE_FULL.
 *  - No INFO data: the driver never sets its length, so the core reports 0.
 *  - Endpoints and operations come from the firmware (IDENT gives the size
 *    limits, a ROOT query the endpoints); the driver has no list of its own.
 *
 * The simulated firmware (ep.op, version, attribute, payload in/out):
 *   1.0x0001 v2 get_param   READ        in u32 index            out u32 value
 *   1.0x0002 v1 set_param   WRITE       in u32 index, u32 value
 *   1.0x0003 v0 commit      SYNC                                out u32 generation
 *   2.0x0010 v1 read_stats  DEBUG_READ                          out 4 x u64
 *   2.0x0011 v0 clear_stats DEBUG_WRITE
 *   7.0x0070 v0 mem_read    DEBUG_READ  in u32 offset           out u32 word
 *   7.0x0071 v0 mem_write   0x20 (raw)  in u32 offset, u32 word
 * Op-level failures (bad index/offset, short payload) are in-band: retval 1.
 * probe config: comma-separated "devices=N" (1..8), "fail_ops=EP" (the
 * operation query of endpoint EP fails: ENOMEM), "adminq_down" (every RPC's
 * adminq post fails: EIO).
 *
 * Build: cc -shared -fPIC -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags fwctl-plugin) -o libpds.so pds.c -lpthread
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwctl_plugin.h"

struct fwctl_rpc_pds {
	struct {
		uint32_t op;
		uint32_t ep;
		uint32_t rsvd;
		uint32_t len;
		uint64_t payload;
	} in;
	struct {
		uint32_t retval;
		uint32_t rsvd[2];
		uint32_t len;
		uint64_t payload;
	} out;
};

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct fwctl_rpc_pds) == 48, "fwctl_rpc_pds is 48 bytes");
#endif

#define PDSFC_FW_CMD_ATTR_READ 0x00u
#define PDSFC_FW_CMD_ATTR_DEBUG_READ 0x02u
#define PDSFC_FW_CMD_ATTR_WRITE 0x04u
#define PDSFC_FW_CMD_ATTR_DEBUG_WRITE 0x08u
#define PDSFC_FW_CMD_ATTR_SYNC 0x10u

#define OP_CMD(op) ((op) & 0xffffu)
#define OP_VER(op) (((op) >> 16) & 0xffu)
#define OP(cmd, ver) ((uint32_t)(cmd) | ((uint32_t)(ver) << 16))

#define MAX_REQ_SZ 1024u
#define MAX_RESP_SZ 4096u
#define PARAMS 16u
#define MEM_WORDS 64u
#define MAX_DEVICES 8u
#define RET_BAD_ARG 1u

struct fw_op {
	uint32_t ep, id, attr;
	const char *name;
	uint32_t effects;
};

static const struct fw_op FW_OPS[] = {
	{ 1, OP(0x0001, 2), PDSFC_FW_CMD_ATTR_READ, "config.get_param", FWCTL_PLUGIN_EFFECT_READ },
	{ 1, OP(0x0002, 1), PDSFC_FW_CMD_ATTR_WRITE, "config.set_param", FWCTL_PLUGIN_EFFECT_WRITE_CONFIG },
	{ 1, OP(0x0003, 0), PDSFC_FW_CMD_ATTR_SYNC, "config.commit", FWCTL_PLUGIN_EFFECT_WRITE_CONFIG },
	{ 2, OP(0x0010, 1), PDSFC_FW_CMD_ATTR_DEBUG_READ, "telemetry.read_stats",
	  FWCTL_PLUGIN_EFFECT_READ | FWCTL_PLUGIN_EFFECT_DEBUG_READ },
	{ 2, OP(0x0011, 0), PDSFC_FW_CMD_ATTR_DEBUG_WRITE, "telemetry.clear_stats", FWCTL_PLUGIN_EFFECT_WRITE_DEBUG },
	{ 7, OP(0x0070, 0), PDSFC_FW_CMD_ATTR_DEBUG_READ, "debug.mem_read",
	  FWCTL_PLUGIN_EFFECT_READ | FWCTL_PLUGIN_EFFECT_DEBUG_READ },
	{ 7, OP(0x0071, 0), 0x20u, "debug.mem_write", FWCTL_PLUGIN_EFFECT_WRITE_DEBUG | FWCTL_PLUGIN_EFFECT_DISRUPTIVE },
};
#define N_FW_OPS (sizeof(FW_OPS) / sizeof(FW_OPS[0]))
static const uint32_t ENDPOINTS[] = { 1, 2, 7 };
#define N_EP (sizeof(ENDPOINTS) / sizeof(ENDPOINTS[0]))

struct ep_info {
	uint32_t endpoint;
	pthread_mutex_t lock;
	int ops_loaded;
	const struct fw_op *ops[N_FW_OPS];
	uint32_t n_ops;
};

struct pds_dev {
	unsigned index;
	uint32_t max_req_sz, max_resp_sz; /* from IDENT */
	struct ep_info eps[N_EP];
	uint32_t n_eps; /* from the ROOT query */
	uint32_t fail_ops_ep;
	int adminq_down;
	pthread_mutex_t fw_lock;
	uint32_t params[PARAMS];
	uint32_t mem[MEM_WORDS];
	uint32_t generation;
	uint64_t stats[4];
};

struct pds_ctx {
	struct pds_dev *dev;
};

static int32_t attr_to_scope(uint32_t attr)
{
	switch (attr) {
	case PDSFC_FW_CMD_ATTR_READ:
	case PDSFC_FW_CMD_ATTR_WRITE:
	case PDSFC_FW_CMD_ATTR_SYNC:
		return FWCTL_PLUGIN_SCOPE_CONFIGURATION;
	case PDSFC_FW_CMD_ATTR_DEBUG_READ:
		return FWCTL_PLUGIN_SCOPE_DEBUG_READ_ONLY;
	case PDSFC_FW_CMD_ATTR_DEBUG_WRITE:
		return FWCTL_PLUGIN_SCOPE_DEBUG_WRITE;
	default:
		return FWCTL_PLUGIN_SCOPE_DEBUG_WRITE_FULL;
	}
}

static int32_t pds_probe(const char *config, uint32_t config_len, void **devices, uint32_t max_devices,
			 uint32_t *n_devices)
{
	static unsigned next_index;
	uint32_t n = 1, fail_ops = 0;
	int adminq_down = 0;
	char buf[128];

	if (config_len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, config, config_len);
	buf[config_len] = '\0';
	for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		unsigned v;
		if (sscanf(kv, "devices=%u", &v) == 1 && v >= 1 && v <= MAX_DEVICES)
			n = v;
		else if (sscanf(kv, "fail_ops=%u", &v) == 1)
			fail_ops = v;
		else if (strcmp(kv, "adminq_down") == 0)
			adminq_down = 1;
		else
			return -EINVAL;
	}
	if (n > max_devices)
		return -ENOSPC;
	for (uint32_t i = 0; i < n; i++) {
		struct pds_dev *d = calloc(1, sizeof(*d));
		if (!d) {
			while (i--)
				free(devices[i]);
			return -ENOMEM;
		}
		d->index = __atomic_fetch_add(&next_index, 1, __ATOMIC_RELAXED);
		/* IDENT */
		d->max_req_sz = MAX_REQ_SZ;
		d->max_resp_sz = MAX_RESP_SZ;
		/* QUERY entity ROOT: the endpoints */
		d->n_eps = N_EP;
		for (uint32_t e = 0; e < N_EP; e++) {
			d->eps[e].endpoint = ENDPOINTS[e];
			pthread_mutex_init(&d->eps[e].lock, NULL);
		}
		d->fail_ops_ep = fail_ops;
		d->adminq_down = adminq_down;
		pthread_mutex_init(&d->fw_lock, NULL);
		for (uint32_t p = 0; p < PARAMS; p++)
			d->params[p] = 100 + p;
		devices[i] = d;
	}
	*n_devices = n;
	return 0;
}

static void pds_remove(void *device)
{
	struct pds_dev *d = device;

	for (uint32_t e = 0; e < d->n_eps; e++)
		pthread_mutex_destroy(&d->eps[e].lock);
	pthread_mutex_destroy(&d->fw_lock);
	free(d);
}

static int32_t pds_identity(void *device, struct fwctl_plugin_identity *out)
{
	struct pds_dev *d = device;
	int n;

	if (out->struct_size < sizeof(*out))
		return -EINVAL;
	n = snprintf(out->parent, sizeof(out->parent), "0000:%02x:00.0", 0xb5 + d->index);
	out->parent_len = n > 0 && (size_t)n < sizeof(out->parent) ? (uint32_t)n : 0;
	n = snprintf(out->fw_version, sizeof(out->fw_version), "1.67.0-C-8");
	out->fw_version_len = n > 0 && (size_t)n < sizeof(out->fw_version) ? (uint32_t)n : 0;
	n = snprintf(out->serial, sizeof(out->serial), "FLM2319%04u", d->index);
	out->serial_len = n > 0 && (size_t)n < sizeof(out->serial) ? (uint32_t)n : 0;
	return 0;
}

static int32_t pds_open(void *device, void **ctx)
{
	struct pds_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->dev = device;
	*ctx = c;
	return 0;
}

static void pds_close(void *ctx)
{
	free(ctx);
}

static struct ep_info *find_ep(struct pds_dev *d, uint32_t ep)
{
	for (uint32_t e = 0; e < d->n_eps; e++)
		if (d->eps[e].endpoint == ep)
			return &d->eps[e];
	return NULL;
}

/* The endpoint's operations, fetched from the firmware once (adminq QUERY). */
static int load_ops(struct pds_dev *d, struct ep_info *ep)
{
	int rc = 0;

	pthread_mutex_lock(&ep->lock);
	if (!ep->ops_loaded) {
		if (d->fail_ops_ep == ep->endpoint) {
			rc = -ENOMEM;
		} else {
			ep->n_ops = 0;
			for (size_t i = 0; i < N_FW_OPS; i++)
				if (FW_OPS[i].ep == ep->endpoint)
					ep->ops[ep->n_ops++] = &FW_OPS[i];
			ep->ops_loaded = 1;
		}
	}
	pthread_mutex_unlock(&ep->lock);
	return rc;
}

static const struct fw_op *match_op(const struct ep_info *ep, uint32_t op)
{
	for (uint32_t i = 0; i < ep->n_ops; i++)
		if (OP_CMD(op) == OP_CMD(ep->ops[i]->id) && OP_VER(op) <= OP_VER(ep->ops[i]->id))
			return ep->ops[i];
	return NULL;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* The firmware executes one operation: returns the in-band retval. */
static uint32_t fw_exec(struct pds_dev *d, const struct fw_op *op, const uint8_t *in, uint32_t in_len, uint8_t *out,
			uint32_t out_len)
{
	uint32_t cmd = OP_CMD(op->id), rc = 0;

	pthread_mutex_lock(&d->fw_lock);
	d->stats[0]++;
	switch (cmd) {
	case 0x0001:
		if (in_len < 4 || rd32(in) >= PARAMS)
			rc = RET_BAD_ARG;
		else if (out_len >= 4)
			wr32(out, d->params[rd32(in)]);
		break;
	case 0x0002:
		if (in_len < 8 || rd32(in) >= PARAMS)
			rc = RET_BAD_ARG;
		else
			d->params[rd32(in)] = rd32(in + 4);
		break;
	case 0x0003:
		d->generation++;
		if (out_len >= 4)
			wr32(out, d->generation);
		break;
	case 0x0010:
		for (uint32_t i = 0; i < 4 && (i + 1) * 8 <= out_len; i++)
			memcpy(out + 8 * i, &d->stats[i], 8);
		break;
	case 0x0011:
		memset(d->stats, 0, sizeof(d->stats));
		break;
	case 0x0070:
		if (in_len < 4 || rd32(in) >= MEM_WORDS)
			rc = RET_BAD_ARG;
		else if (out_len >= 4)
			wr32(out, d->mem[rd32(in)]);
		break;
	case 0x0071:
		if (in_len < 8 || rd32(in) >= MEM_WORDS)
			rc = RET_BAD_ARG;
		else
			d->mem[rd32(in)] = rd32(in + 4);
		break;
	default:
		rc = RET_BAD_ARG;
	}
	if (rc)
		d->stats[1]++;
	pthread_mutex_unlock(&d->fw_lock);
	return rc;
}

static int32_t pds_rpc_v2(void *ctx, struct fwctl_plugin_rpc_args *a)
{
	struct pds_dev *d = ((struct pds_ctx *)ctx)->dev;
	struct fwctl_rpc_pds rpc;
	const struct fw_op *op;
	struct ep_info *ep;
	uint8_t *in_payload = NULL, *out_payload = NULL;
	uint32_t retval;
	int rc;

	if (a->request_len < sizeof(rpc))
		return -EINVAL;
	memcpy(&rpc, a->request, sizeof(rpc));
	if (rpc.in.len > d->max_req_sz)
		return -EINVAL;
	if (rpc.out.len > d->max_resp_sz)
		return -EINVAL;
	ep = find_ep(d, rpc.in.ep);
	if (!ep)
		return -EINVAL;
	rc = load_ops(d, ep);
	if (rc)
		return rc;
	op = match_op(ep, rpc.in.op);
	if (!op)
		return -EINVAL;
	if ((int32_t)a->scope < attr_to_scope(op->attr))
		return -EPERM;
	if (rpc.in.len) {
		in_payload = malloc(rpc.in.len);
		if (!in_payload)
			return -ENOMEM;
		if (fwctl_plugin_copy_from_user(a, in_payload, rpc.in.payload, rpc.in.len)) {
			free(in_payload);
			return -EFAULT;
		}
	}
	if (rpc.out.len) {
		out_payload = calloc(1, rpc.out.len);
		if (!out_payload) {
			free(in_payload);
			return -ENOMEM;
		}
	}
	if (d->adminq_down) {
		free(in_payload);
		free(out_payload);
		return -EIO;
	}
	retval = fw_exec(d, op, in_payload, rpc.in.len, out_payload, rpc.out.len);
	free(in_payload);
	if (rpc.out.len && fwctl_plugin_copy_to_user(a, rpc.out.payload, out_payload, rpc.out.len)) {
		free(out_payload);
		return -EFAULT;
	}
	free(out_payload);
	/* The reply is the request itself, out.retval set, out_len = in_len. */
	rpc.out.retval = retval;
	memcpy(a->request, &rpc, sizeof(rpc));
	a->out_len = a->request_len;
	return FWCTL_PLUGIN_RPC_IN_PLACE;
}

static int32_t pds_describe(void *device, const uint8_t *req, uint32_t len, struct fwctl_plugin_describe *out)
{
	struct pds_dev *d = device;
	struct fwctl_rpc_pds rpc;
	struct ep_info *ep;
	const struct fw_op *op;
	size_t n;

	if (out->struct_size < sizeof(*out))
		return -EINVAL;
	if (len < sizeof(rpc))
		return -EINVAL;
	memcpy(&rpc, req, sizeof(rpc));
	out->opcode = rpc.in.op;
	out->op_mod = rpc.in.ep;
	out->min_scope = FWCTL_PLUGIN_SCOPE_NONE;
	ep = find_ep(d, rpc.in.ep);
	if (!ep || load_ops(d, ep))
		return 0;
	op = match_op(ep, rpc.in.op);
	if (!op)
		return 0;
	out->min_scope = attr_to_scope(op->attr);
	out->effects = op->effects;
	n = strlen(op->name);
	if (n > sizeof(out->name))
		n = sizeof(out->name);
	memcpy(out->name, op->name, n);
	out->name_len = (uint32_t)n;
	return 0;
}

static const struct fwctl_plugin_vtable VTABLE = {
	.abi_version = FWCTL_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct fwctl_plugin_vtable),
	.device_type = FWCTL_PLUGIN_DEVICE_TYPE_PDS,
	.name = "pds",
	.version = "1.0",
	.probe = pds_probe,
	.remove = pds_remove,
	.identity = pds_identity,
	.open = pds_open,
	.close = pds_close,
	.info = NULL, /* the driver's info never sets a length: 0 */
	.describe = pds_describe,
	.rpc_v2 = pds_rpc_v2,
};

const struct fwctl_plugin_vtable *fwctl_plugin_v1(void)
{
	return &VTABLE;
}
