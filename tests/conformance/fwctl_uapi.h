/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * The fwctl uAPI as the conformance suite needs it, restated from the
 * kernel's documented facts (include/uapi/fwctl/fwctl.h and mlx5.h: ioctl
 * type 0x9A, _IO numbers 0 and 1 with the size travelling inside the struct,
 * the two structs' layouts, the scope and device-type values). Written for
 * this suite; no kernel header is included or copied. fwctl-uapi's Rust
 * definitions pin the same numbers with compile-time assertions.
 */
#ifndef FWCTL_CONFORMANCE_UAPI_H
#define FWCTL_CONFORMANCE_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

#define CONF_FWCTL_TYPE 0x9A
#define CONF_FWCTL_INFO _IO(CONF_FWCTL_TYPE, 0)
#define CONF_FWCTL_RPC _IO(CONF_FWCTL_TYPE, 1)

enum conf_scope {
	CONF_SCOPE_CONFIGURATION = 0,
	CONF_SCOPE_DEBUG_READ_ONLY = 1,
	CONF_SCOPE_DEBUG_WRITE = 2,
	CONF_SCOPE_DEBUG_WRITE_FULL = 3,
};

enum conf_device_type {
	CONF_DEVICE_TYPE_ERROR = 0,
	CONF_DEVICE_TYPE_MLX5 = 1,
};

struct conf_fwctl_info {
	uint32_t size;
	uint32_t flags;
	uint32_t out_device_type;
	uint32_t device_data_len;
	uint64_t out_device_data __attribute__((aligned(8)));
};

struct conf_fwctl_rpc {
	uint32_t size;
	uint32_t scope;
	uint32_t in_len;
	uint32_t out_len;
	uint64_t in __attribute__((aligned(8)));
	uint64_t out __attribute__((aligned(8)));
};

/* FWCTL_INFO's device data for mlx5: the uctx's uid and capabilities. */
struct conf_fwctl_info_mlx5 {
	uint32_t uid;
	uint32_t uctx_caps;
};

_Static_assert(sizeof(struct conf_fwctl_info) == 24, "fwctl_info is 24 bytes");
_Static_assert(sizeof(struct conf_fwctl_rpc) == 32, "fwctl_rpc is 32 bytes");
_Static_assert(__builtin_offsetof(struct conf_fwctl_rpc, in) == 16, "fwctl_rpc.in at 16");
_Static_assert(__builtin_offsetof(struct conf_fwctl_rpc, out) == 24, "fwctl_rpc.out at 24");

/* The largest in/out length FWCTL_RPC accepts (MAX_RPC_LEN, SZ_2M). */
#define CONF_MAX_RPC_LEN (2u * 1024 * 1024)

/* mlx5 mailbox: opcode (big-endian 16 bits) at byte 0, uid at bytes 2-3,
 * op_mod at bytes 6-7; the output's status byte at 0, syndrome at 4. */
#define CONF_MLX5_QUERY_ADAPTER 0x0101
#define CONF_MLX5_CREATE_MKEY 0x0200

#endif
