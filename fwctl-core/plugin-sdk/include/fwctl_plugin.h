/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * fwctl_plugin.h - the fwctl vendor plugin ABI, version 2.
 *
 * A plugin is a shared library exporting one function:
 *
 *     const struct fwctl_plugin_vtable *fwctl_plugin_v1(void);
 *
 * returning a pointer to a static vtable (the symbol name is historical: every
 * ABI version uses it; the version is the vtable's abi_version).
 *
 * Version 2 adds rpc_v2: the RPC entry point that can read and write the
 * caller's memory (copy_from_user / copy_to_user, as a kernel driver does for
 * requests carrying user pointers), write its response straight into the
 * caller's buffer, and report a response longer than that buffer (the core
 * truncates the copy and reports the driver's length, as the kernel does).
 * Version 1 plugins (fwctl_plugin_v1.h: abi_version 1, struct_size 104, no
 * rpc_v2) still load and behave as before.
 *
 * Within version 2, structs grow at the end (size-first, like the uAPI): the
 * vtable gained name_text (112 -> 120 bytes) and features (120 -> 128),
 * rpc_args gained status (48 -> 56) and describe (56 -> 64), describe and
 * status gained name ids (136 -> 144, 68 -> 72). Plugins built against an
 * earlier version 2 header still load unchanged; a plugin uses a newer field
 * only when the host's struct_size shows it. With all of them, one RPC is
 * one rpc_v2 call that describes the request before delivering it and
 * returns the response's status, names as ids: no text is copied per call.
 *
 * Build flags: `pkg-config --cflags fwctl-plugin`. All buffers are allocated by the
 * caller; entry points return 0 on success or a negative Linux errno
 * (-EINVAL, -EPERM, ...; any value in -4095..-1 passes through, values the
 * host does not know are logged and reported as -EIO). Any other return
 * value, or a length beyond the
 * capacity the host gave, is treated as garbage: the host marks the plugin
 * failed, its devices answer ENXIO, and the host never calls into it again.
 *
 * Entry points may be called from any thread and concurrently, including
 * concurrently on the same context (as kernel fwctl ops are); a plugin
 * serialises internally where its device needs it.
 *
 * This header is kept in sync with fwctl-core/plugin-sdk/src/abi.rs by a test
 * that compiles a program printing sizeof/offsetof of every struct.
 * Layout assumes LP64 (pointers are 8 bytes).
 */
#ifndef FWCTL_PLUGIN_H
#define FWCTL_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FWCTL_PLUGIN_ABI_VERSION 2u
#define FWCTL_PLUGIN_ABI_VERSION_V1 1u
#define FWCTL_PLUGIN_ENTRY "fwctl_plugin_v1"

/* An internal fault the plugin contained (the Rust SDK: a caught panic). */
#define FWCTL_PLUGIN_FAULT (-0x1000)

#define FWCTL_PLUGIN_MAX_STRUCT_SIZE 4096u /* largest vtable struct_size read */
#define FWCTL_PLUGIN_MAX_STRING_LEN 63u    /* name/version, without the NUL */
#define FWCTL_PLUGIN_MAX_DEVICES 64u       /* max_devices passed to probe */
#define FWCTL_PLUGIN_INFO_CAPACITY 4096u   /* capacity passed to info */

/* enum fwctl_device_type (include/uapi/fwctl/fwctl.h); ERROR is refused. */
#define FWCTL_PLUGIN_DEVICE_TYPE_MLX5 1u
#define FWCTL_PLUGIN_DEVICE_TYPE_CXL 2u
#define FWCTL_PLUGIN_DEVICE_TYPE_BNXT 3u
#define FWCTL_PLUGIN_DEVICE_TYPE_PDS 4u

/* enum fwctl_rpc_scope: scopes are ordered, each a superset of the lower. */
#define FWCTL_PLUGIN_SCOPE_NONE (-1) /* describe: refused at every scope */
#define FWCTL_PLUGIN_SCOPE_CONFIGURATION 0
#define FWCTL_PLUGIN_SCOPE_DEBUG_READ_ONLY 1
#define FWCTL_PLUGIN_SCOPE_DEBUG_WRITE 2
#define FWCTL_PLUGIN_SCOPE_DEBUG_WRITE_FULL 3

/* What a command does (fwctl_core::driver::Effects). */
#define FWCTL_PLUGIN_EFFECT_READ (1u << 0)
#define FWCTL_PLUGIN_EFFECT_WRITE_CONFIG (1u << 1)
#define FWCTL_PLUGIN_EFFECT_CONFIG_ON_RESET (1u << 2)
#define FWCTL_PLUGIN_EFFECT_WRITE_DEBUG (1u << 3)
#define FWCTL_PLUGIN_EFFECT_DISRUPTIVE (1u << 4)
#define FWCTL_PLUGIN_EFFECT_DEBUG_READ (1u << 5)

/* struct fwctl_plugin_describe.flags */
#define FWCTL_PLUGIN_DESCRIBE_EXPECTED_OUT_LEN (1u << 0)
#define FWCTL_PLUGIN_DESCRIBE_REGISTER (1u << 1)
#define FWCTL_PLUGIN_DESCRIBE_REGISTER_WRITE (1u << 2)
/* the names are name_id / register_name_id, not text (see name_text) */
#define FWCTL_PLUGIN_DESCRIBE_NAME_IDS (1u << 3)

/*
 * Name ids (version 2, optional): instead of copying a command, register or
 * status name as text on every call, a plugin with a name_text entry point may
 * report it as a small id (below FWCTL_PLUGIN_MAX_NAME_IDS) of its own name
 * table; the host asks name_text once per id and keeps the text. The text of
 * an id must never change. FWCTL_PLUGIN_NO_NAME means "no name". Use ids only
 * when the host's struct_size has the id fields (it is at least the current
 * sizeof); an id beyond the table or one name_text refuses is garbage.
 */
#define FWCTL_PLUGIN_NO_NAME 0xffffffffu
#define FWCTL_PLUGIN_MAX_NAME_IDS 1024u
#define FWCTL_PLUGIN_NAME_CAPACITY 64u /* capacity passed to name_text */

/* rpc return value: the response is in place over the request buffer. */
#define FWCTL_PLUGIN_RPC_IN_PLACE 1
/* rpc_v2 return value: the response was written to the caller's buffer at
 * args->out_addr with copy_to_user; args->out_len is the driver's length. */
#define FWCTL_PLUGIN_RPC_DIRECT 2

/* struct fwctl_plugin_rpc_args.flags (out; the host passes 0): */
/* the plugin decoded the response's status into *args->status */
#define FWCTL_PLUGIN_RPC_STATUS_DECODED (1u << 0)
/* the plugin looked: the response carries no status (decode_status's 0) */
#define FWCTL_PLUGIN_RPC_NO_STATUS (1u << 1)
/* sizeof(struct fwctl_plugin_rpc_args) before `status`: a plugin may use
 * args->status only when args->struct_size is larger. */
#define FWCTL_PLUGIN_RPC_ARGS_V2_0_SIZE 48u
/* the plugin described the request, before delivering it, into
 * *args->describe */
#define FWCTL_PLUGIN_RPC_DESCRIBED (1u << 2)
/* the plugin has no description of the request (describe's error) */
#define FWCTL_PLUGIN_RPC_NOT_DESCRIBED (1u << 3)
/* sizeof(struct fwctl_plugin_rpc_args) before `describe`: a plugin may use
 * args->describe only when args->struct_size is larger. */
#define FWCTL_PLUGIN_RPC_ARGS_V2_1_SIZE 56u

/* struct fwctl_plugin_vtable.features: what rpc_v2 honours */
/* rpc_v2 describes the request when args->describe is set */
#define FWCTL_PLUGIN_FEATURE_DESCRIBE_IN_RPC (1ull << 0)

/* struct fwctl_plugin_status.flags */
#define FWCTL_PLUGIN_STATUS_OK (1u << 0)
#define FWCTL_PLUGIN_STATUS_SYNDROME (1u << 1)
#define FWCTL_PLUGIN_STATUS_NAME_ID (1u << 2) /* the name is name_id, not text */

/* Earlier sizes of structs that grew within version 2 (size-first: a struct
 * whose struct_size is one of these lacks the fields added after it). */
#define FWCTL_PLUGIN_VTABLE_V2_0_SIZE 112u   /* before name_text */
#define FWCTL_PLUGIN_VTABLE_V2_1_SIZE 120u   /* before features */
#define FWCTL_PLUGIN_DESCRIBE_V2_0_SIZE 136u /* before name_id */
#define FWCTL_PLUGIN_STATUS_V2_0_SIZE 68u    /* before name_id */

/*
 * Filled by identity(). Strings are not NUL-terminated; *_len give their
 * lengths. struct_size is set by the host to its sizeof.
 */
struct fwctl_plugin_identity {
	uint32_t struct_size;
	uint32_t parent_len;
	uint32_t fw_version_len;
	uint32_t serial_len;
	char parent[64];
	char fw_version[32];
	char serial[64];
};

/* Filled by describe(): a request decoded without touching the device. */
struct fwctl_plugin_describe {
	uint32_t struct_size;
	uint32_t opcode;
	uint32_t op_mod;
	int32_t min_scope; /* FWCTL_PLUGIN_SCOPE_* */
	uint32_t effects;  /* FWCTL_PLUGIN_EFFECT_* */
	uint32_t flags;    /* FWCTL_PLUGIN_DESCRIBE_* */
	uint32_t expected_out_len;
	uint32_t register_id;
	uint32_t name_len;
	uint32_t register_name_len;
	char name[64];
	char register_name[32];
	/* with FWCTL_PLUGIN_DESCRIBE_NAME_IDS (host struct_size >= 144): */
	uint32_t name_id;          /* or FWCTL_PLUGIN_NO_NAME */
	uint32_t register_name_id; /* or FWCTL_PLUGIN_NO_NAME */
};

/* Filled by decode_status(): the in-band status of a delivered response. */
struct fwctl_plugin_status {
	uint32_t struct_size;
	uint32_t code;
	uint32_t syndrome;
	uint32_t flags; /* FWCTL_PLUGIN_STATUS_* */
	uint32_t name_len;
	char name[48];
	/* with FWCTL_PLUGIN_STATUS_NAME_ID (host struct_size >= 72): */
	uint32_t name_id; /* or FWCTL_PLUGIN_NO_NAME */
};

/*
 * The caller's address space during one rpc_v2 call (version 2). Addresses
 * are the caller's; never dereference them, use the callbacks. Both return
 * the number of bytes NOT copied (0 on success), like the kernel's; a plugin
 * answers a short copy with -EFAULT. copy_from_user zero-fills what it could
 * not copy. Only valid until rpc_v2 returns.
 */
struct fwctl_plugin_user {
	uint32_t struct_size;
	uint32_t flags; /* reserved, 0 */
	void *cookie;
	uint64_t (*copy_from_user)(void *cookie, void *dst, uint64_t src_addr,
				   uint64_t len);
	uint64_t (*copy_to_user)(void *cookie, uint64_t dst_addr,
				 const void *src, uint64_t len);
};

/* One RPC as rpc_v2 receives it (version 2). */
struct fwctl_plugin_rpc_args {
	uint32_t struct_size;  /* in: the host's sizeof */
	uint32_t scope;        /* in: FWCTL_PLUGIN_SCOPE_*, validated */
	uint8_t *request;      /* in: the core's copy of fwctl_rpc.in, writable */
	uint32_t request_len;  /* in */
	uint32_t out_capacity; /* in: the caller's fwctl_rpc.out_len */
	uint64_t out_addr;     /* in: the caller's fwctl_rpc.out */
	uint32_t out_len;      /* out: the response length */
	uint32_t flags;        /* in: 0; out: FWCTL_PLUGIN_RPC_* status bits */
	const struct fwctl_plugin_user *user; /* in: the caller's memory */
	/* in (struct_size > FWCTL_PLUGIN_RPC_ARGS_V2_0_SIZE): where to decode the
	 * status of the response this call delivers, exactly as decode_status
	 * would, or NULL when the host does not want it. A plugin that fills it
	 * sets exactly one of FWCTL_PLUGIN_RPC_STATUS_DECODED (status written) or
	 * FWCTL_PLUGIN_RPC_NO_STATUS (none) in flags; one that leaves flags 0 has
	 * its response decoded by the host through decode_status as before. This
	 * saves a decode_status call per RPC and, for FWCTL_PLUGIN_RPC_DIRECT,
	 * reading the response back from the caller's buffer. Any other flags
	 * value, or a bit set when status was NULL, is garbage. */
	struct fwctl_plugin_status *status;
	/* in (struct_size > FWCTL_PLUGIN_RPC_ARGS_V2_1_SIZE, and only to a plugin
	 * whose vtable has FWCTL_PLUGIN_FEATURE_DESCRIBE_IN_RPC): where to
	 * describe the request as received, before delivering it, exactly as
	 * describe would, or NULL. Such a plugin sets exactly one of
	 * FWCTL_PLUGIN_RPC_DESCRIBED (written) or FWCTL_PLUGIN_RPC_NOT_DESCRIBED
	 * (describe would fail) in flags, whether or not the delivery then
	 * succeeds; anything else is garbage. The host offers it only when it
	 * wants the description for what it records after the delivery (no
	 * policy judges the request, nothing taints): one call instead of a
	 * describe call and an rpc_v2 call. */
	struct fwctl_plugin_describe *describe;
};

/* Convenience wrappers over args->user. */
static inline uint64_t
fwctl_plugin_copy_from_user(const struct fwctl_plugin_rpc_args *args,
			    void *dst, uint64_t src_addr, uint64_t len)
{
	return args->user->copy_from_user(args->user->cookie, dst, src_addr, len);
}

static inline uint64_t
fwctl_plugin_copy_to_user(const struct fwctl_plugin_rpc_args *args,
			  uint64_t dst_addr, const void *src, uint64_t len)
{
	return args->user->copy_to_user(args->user->cookie, dst_addr, src, len);
}

/* Answer with `len` bytes of `resp`: copy min(len, out_capacity) of them to
 * the caller's buffer and report len (FWCTL_PLUGIN_RPC_DIRECT), or -EFAULT
 * (-14) when the caller's buffer is not mapped. */
static inline int32_t
fwctl_plugin_respond(struct fwctl_plugin_rpc_args *args, const void *resp,
		     uint32_t len)
{
	uint32_t n = len < args->out_capacity ? len : args->out_capacity;

	if (n && fwctl_plugin_copy_to_user(args, args->out_addr, resp, n))
		return -14;
	args->out_len = len;
	return FWCTL_PLUGIN_RPC_DIRECT;
}

/*
 * The vtable. struct_size is sizeof(struct fwctl_plugin_vtable) as the plugin
 * was compiled; a host accepts a larger struct only if the bytes it does not
 * know are all zero (the uAPI's copy_struct_from_user rule). Entry points
 * marked optional may be NULL.
 */
struct fwctl_plugin_vtable {
	uint32_t abi_version; /* FWCTL_PLUGIN_ABI_VERSION */
	uint32_t struct_size;
	uint32_t device_type; /* FWCTL_PLUGIN_DEVICE_TYPE_* */
	uint32_t flags;       /* reserved, 0 */
	const char *name;     /* NUL-terminated, printable, <= 63 bytes */
	const char *version;  /* NUL-terminated, printable, <= 63 bytes */

	/* Create up to max_devices device instances from config (NUL-terminated,
	 * config_len bytes without the NUL; syntax defined by the plugin). */
	int32_t (*probe)(const char *config, uint32_t config_len, void **devices,
			 uint32_t max_devices, uint32_t *n_devices);
	/* Destroy a device; every context of it has been closed. */
	void (*remove)(void *device);
	/* Optional: identity strings for listings and policy selectors. */
	int32_t (*identity)(void *device, struct fwctl_plugin_identity *out);
	/* Create a per-open-file context (the kernel's open_uctx). */
	int32_t (*open)(void *device, void **ctx);
	/* Release a context; called exactly once per successful open. */
	void (*close)(void *ctx);
	/* Optional: driver-specific FWCTL_INFO data, at most capacity bytes. */
	int32_t (*info)(void *ctx, uint8_t *out, uint32_t capacity,
			uint32_t *out_len);
	/* Optional: decode a request (name, opcode, minimum scope, effects). */
	int32_t (*describe)(void *device, const uint8_t *request, uint32_t len,
			    struct fwctl_plugin_describe *out);
	/* Optional: 1 if a status was decoded into out, 0 if there is none. */
	int32_t (*decode_status)(void *device, const uint8_t *response,
				 uint32_t len, struct fwctl_plugin_status *out);
	/* Deliver one RPC at scope. The request buffer is the plugin's to
	 * overwrite. Return 0 with the response (at most out_capacity bytes)
	 * in out, or FWCTL_PLUGIN_RPC_IN_PLACE with the response written over
	 * the request (at most request_len bytes); its length goes to
	 * *out_len either way. Device-side failures of a delivered RPC are
	 * reported inside the response, not as errors. */
	int32_t (*rpc)(void *ctx, uint32_t scope, uint8_t *request,
		       uint32_t request_len, uint8_t *out, uint32_t out_capacity,
		       uint32_t *out_len);
	/* Version 2 (optional if rpc is set, which is then unused): deliver one
	 * RPC with the caller's memory. Return FWCTL_PLUGIN_RPC_IN_PLACE (response
	 * over args->request, out_len <= request_len) or FWCTL_PLUGIN_RPC_DIRECT
	 * (response copied to args->out_addr, out_len may exceed out_capacity),
	 * or a negative errno: the RPC was not delivered. */
	int32_t (*rpc_v2)(void *ctx, struct fwctl_plugin_rpc_args *args);
	/* Version 2, struct_size >= 120 (optional): the text of name id `id`, at
	 * most capacity bytes of UTF-8 into out and its length into *len; 0, or
	 * -ENOENT for an id never given out. */
	int32_t (*name_text)(uint32_t id, char *out, uint32_t capacity,
			     uint32_t *len);
	/* Version 2, struct_size >= 128: FWCTL_PLUGIN_FEATURE_* bits, what
	 * rpc_v2 honours beyond the first version 2 (0: nothing). Bits a host
	 * does not know are ignored. */
	uint64_t features;
};

const struct fwctl_plugin_vtable *fwctl_plugin_v1(void);

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && defined(__LP64__)
_Static_assert(sizeof(struct fwctl_plugin_vtable) == 128, "vtable layout");
_Static_assert(sizeof(struct fwctl_plugin_user) == 32, "user layout");
_Static_assert(sizeof(struct fwctl_plugin_rpc_args) == 64, "rpc args layout");
_Static_assert(sizeof(struct fwctl_plugin_identity) == 176, "identity layout");
_Static_assert(sizeof(struct fwctl_plugin_describe) == 144, "describe layout");
_Static_assert(sizeof(struct fwctl_plugin_status) == 72, "status layout");
#endif

#ifdef __cplusplus
}
#endif

#endif /* FWCTL_PLUGIN_H */
