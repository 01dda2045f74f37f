/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * Template for a fwctl vendor plugin written in C. Copy this file, rename the
 * plugin, and replace the "scratch register" device with your driver logic.
 *
 * Build:  cc -shared -fPIC -std=c11 -Wall -Wextra -Werror \
 *            -I fwctl-core/plugin-sdk/include -o libmy_plugin.so template.c -lpthread
 * Check:  fwctl plugin check ./libmy_plugin.so
 *
 * Security model (document yours the same way: every command, its scope):
 *   request  = u32 opcode, u32 value        (8 bytes)
 *   response = u32 status, u32 value        (8 bytes)
 *   opcode 1 READ    CONFIGURATION   read the scratch register
 *   opcode 2 WRITE   DEBUG_WRITE     write the scratch register
 *   anything else: refused at every scope (-EBADMSG); bad lengths: -EINVAL.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fwctl_plugin.h"

enum { OP_READ = 1, OP_WRITE = 2 };

struct tmpl_dev {
	pthread_mutex_t lock; /* entry points run concurrently */
	uint32_t scratch;
};

static int32_t op_scope(uint32_t opcode)
{
	switch (opcode) {
	case OP_READ:
		return FWCTL_PLUGIN_SCOPE_CONFIGURATION;
	case OP_WRITE:
		return FWCTL_PLUGIN_SCOPE_DEBUG_WRITE;
	default:
		return FWCTL_PLUGIN_SCOPE_NONE;
	}
}

static int32_t tmpl_probe(const char *config, uint32_t config_len, void **devices, uint32_t max_devices,
			  uint32_t *n_devices)
{
	struct tmpl_dev *d;
	(void)config;
	if (config_len != 0) /* this template takes no configuration */
		return -EINVAL;
	if (max_devices < 1)
		return -ENOSPC;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	pthread_mutex_init(&d->lock, NULL);
	devices[0] = d;
	*n_devices = 1;
	return 0;
}

static void tmpl_remove(void *device)
{
	struct tmpl_dev *d = device;
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static int32_t tmpl_open(void *device, void **ctx)
{
	*ctx = device; /* no per-open state in this template */
	return 0;
}

static void tmpl_close(void *ctx)
{
	(void)ctx;
}

static int32_t tmpl_describe(void *device, const uint8_t *req, uint32_t len, struct fwctl_plugin_describe *out)
{
	uint32_t opcode;
	(void)device;
	if (len != 8 || out->struct_size < sizeof(*out))
		return -EINVAL;
	memcpy(&opcode, req, 4);
	out->opcode = opcode;
	out->min_scope = op_scope(opcode);
	if (opcode == OP_READ || opcode == OP_WRITE) {
		const char *name = opcode == OP_READ ? "READ" : "WRITE";
		out->effects = opcode == OP_READ ? FWCTL_PLUGIN_EFFECT_READ : FWCTL_PLUGIN_EFFECT_WRITE_DEBUG;
		out->name_len = (uint32_t)strlen(name);
		memcpy(out->name, name, out->name_len);
		out->flags = FWCTL_PLUGIN_DESCRIBE_EXPECTED_OUT_LEN;
		out->expected_out_len = 8;
	}
	return 0;
}

static int32_t tmpl_rpc(void *ctx, uint32_t scope, uint8_t *req, uint32_t req_len, uint8_t *out,
			uint32_t out_capacity, uint32_t *out_len)
{
	struct tmpl_dev *d = ctx;
	uint32_t opcode, value, resp[2] = { 0, 0 };
	int32_t min;
	if (req_len != 8 || out_capacity < sizeof(resp)) /* check every length */
		return -EINVAL;
	memcpy(&opcode, req, 4);
	memcpy(&value, req + 4, 4);
	min = op_scope(opcode);
	if (min == FWCTL_PLUGIN_SCOPE_NONE || (int32_t)scope < min)
		return -EBADMSG;
	pthread_mutex_lock(&d->lock);
	if (opcode == OP_WRITE)
		d->scratch = value;
	resp[1] = d->scratch;
	pthread_mutex_unlock(&d->lock);
	memcpy(out, resp, sizeof(resp));
	*out_len = sizeof(resp);
	return 0;
}

static const struct fwctl_plugin_vtable VTABLE = {
	.abi_version = FWCTL_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct fwctl_plugin_vtable),
	.device_type = FWCTL_PLUGIN_DEVICE_TYPE_PDS, /* your device family */
	.name = "c-template",
	.version = "0.1.0",
	.probe = tmpl_probe,
	.remove = tmpl_remove,
	.open = tmpl_open,
	.close = tmpl_close,
	.describe = tmpl_describe,
	.rpc = tmpl_rpc,
	/* identity, info and decode_status are optional: NULL */
};

const struct fwctl_plugin_vtable *fwctl_plugin_v1(void)
{
	return &VTABLE;
}
