//! The contents of the 22 capability pages, per profile, maximum and current.
//!
//! Values are set by field name through the page layouts of
//! [`crate::prm::cap_pages`]; a test checks that every name here exists in its
//! page. The pages agree with the rest of the model: a feature bit is set only
//! when the commands, objects and registers behind it exist (general object
//! types match the seeded objects, `fpga` is 0 and FPGA commands are BAD_OP,
//! MACsec and port selection only where the profile has them). The current
//! values equal the maximum except where the driver lowers or leaves off a
//! setting at init (checksums, TLS/IPsec offloads not enabled, ODP schemes
//! the driver did not select): every current flag is a subset of the maximum.

use crate::config::{Profile, SimConfig};
use crate::prm::caps;
use crate::prm::commands::hca_cap;
use crate::prm::layout::Layout;
use crate::prm::queries::query_general_object as gobj;

/// DEBUG cap: log2 of the most samples per counter.
pub(crate) const LOG_MAX_SAMPLES: u8 = 10;
/// DEBUG cap: log2 of the shortest sampling period.
pub(crate) const LOG_MIN_SAMPLE_PERIOD: u8 = 8;

/// Whether the device has the page at all (a missing page is BAD_PARAM).
pub(crate) fn has_page(profile: Profile, cap_type: u16) -> bool {
    match cap_type {
        caps::MACSEC => profile.has_macsec(),
        caps::PORT_SELECTION => profile != Profile::ConnectX6Dx,
        t => caps::MODELLED.contains(&t),
    }
}

/// General-object types the device supports (bit n = type n), matching the
/// objects [`super::objects`] seeds and the pages present.
pub(crate) fn general_obj_types(profile: Profile) -> u64 {
    let mut t = (1u64 << gobj::TYPE_SAMPLER) | (1 << gobj::TYPE_IPSEC);
    if profile.has_macsec() {
        t |= 1 << gobj::TYPE_MACSEC;
    }
    t
}

/// (field, maximum, current) of a page; `current` `None` means "same as maximum".
type Values = Vec<(&'static str, u64, Option<u64>)>;

/// The values of page `cap_type` for `function` (0 = this PF, n = VF n).
pub(crate) fn values(c: &SimConfig, cap_type: u16, function: u16) -> Values {
    let p = c.profile;
    let bf3 = u64::from(p == Profile::BlueField3);
    match cap_type {
        caps::GENERAL => vec![
            ("hca_cap_2", 1, None),
            ("vhca_id", u64::from(c.vhca_id.wrapping_add(function)), None),
            ("log_max_srq_sz", 15, None),
            ("log_max_qp_sz", 15, None),
            ("log_max_qp", 17, None),
            ("log_max_srq", 23, None),
            ("log_max_cq_sz", 22, None),
            ("log_max_cq", 24, None),
            ("log_max_eq_sz", 22, None),
            ("log_max_mkey", 24, None),
            ("log_max_eq", 7, None),
            ("max_indirection", 4, None),
            ("log_max_mrw_sz", 64, None),
            ("log_max_ra_req_dc", 4, None),
            ("log_max_ra_res_dc", 4, None),
            ("log_max_ra_req_qp", 4, None),
            ("log_max_ra_res_qp", 4, None),
            ("gid_table_size", 255, None),
            ("pkey_table_size", 0, None),
            ("num_ports", u64::from(c.num_ports), None),
            ("max_qp_cnt", 64, None),
            ("pcam_reg", 1, None),
            ("mcam_reg", 1, None),
            ("qcam_reg", 1, None),
            ("ets", 1, None),
            ("nic_flow_table", 1, None),
            ("eswitch_manager", u64::from(function == 0), None),
            ("vport_group_manager", u64::from(function == 0), None),
            ("port_type", 1, None), // Ethernet
            ("dct", 1, None),
            ("atomic", 1, None),
            ("roce", 1, None),
            ("pg", 1, None),
            ("eth_net_offloads", 1, None),
            ("ipoib_basic_offloads", 0, None),
            ("ipoib_enhanced_offloads", 0, None),
            ("xrc", 1, None),
            ("cq_moderation", 1, None),
            ("vport_counters", 1, None),
            ("q_counter_other_vport", 1, None),
            ("qos", 1, None),
            ("debug", 1, None),
            ("device_memory", 1, None),
            ("ipsec_offload", 1, Some(0)),
            ("tls_tx", 1, Some(0)),
            ("tls_rx", 1, Some(0)),
            ("crypto", 1, None),
            ("fpga", 0, None),
            ("vhca_state", 1, None),
            ("event_on_vhca_state_teardown_request", 1, None),
            ("event_on_vhca_state_in_use", 1, None),
            ("event_on_vhca_state_active", 1, None),
            ("event_on_vhca_state_allocated", 1, None),
            ("event_on_vhca_state_invalid", 1, None),
            ("sf", 1, None),
            ("log_max_sf", 8, None),
            ("max_num_sf_partitions", 1, None),
            ("cmdif_checksum", 3, Some(0)),
            ("log_max_msg", u64::from(c.log_max_msg), None),
            ("log_max_pd", 23, None),
            ("log_max_xrcd", 24, None),
            ("log_max_tir", 24, None),
            ("log_max_tis", 24, None),
            ("log_max_rq", 24, None),
            ("log_max_sq", 24, None),
            ("log_max_rqt", 24, None),
            ("log_max_uctx", 10, None),
            ("log_max_umem", 24, None),
            ("log_max_current_uc_list", 15, None),
            ("log_max_current_mc_list", 15, None),
            ("log_max_vlan_list", 12, None),
            ("max_tc", 8, None),
            ("num_vhca_ports", u64::from(c.num_ports), None),
            ("num_of_diagnostic_counters", c.diagnostic_counters.len() as u64, None),
            ("device_frequency_khz", u64::from(c.device_frequency_khz), None),
            ("general_obj_types", general_obj_types(p), None),
            // uctx_cap is a PF property: VFs offer no tools label.
            ("uctx_cap", if function == 0 { u64::from(c.uctx_cap) } else { 0 }, None),
            ("lag_master", 1, None),
            ("num_lag_ports", u64::from(c.num_ports), None),
        ],
        caps::ETHERNET_OFFLOADS => vec![
            ("csum_cap", 1, None),
            ("vlan_cap", 1, None),
            ("lro_cap", 1, None),
            ("lro_psh_flag", 1, None),
            ("lro_time_stamp", 1, None),
            ("max_lso_cap", 18, None),
            ("multi_pkt_send_wqe", 2, None),
            ("wqe_inline_mode", 2, None),
            ("rss_ind_tbl_cap", 11, None),
            ("reg_umr_sq", 1, None),
            ("scatter_fcs", 1, None),
            ("enhanced_multi_pkt_send_wqe", 1, None),
            ("tunnel_lso_const_out_ip_id", 1, None),
            ("tunnel_stateless_gre", 1, None),
            ("tunnel_stateless_vxlan", 1, None),
            ("swp", 1, None),
            ("swp_csum", 1, None),
            ("swp_lso", 1, None),
            ("max_vxlan_udp_ports", 4, None),
            ("lro_min_mss_size", 536, None),
        ],
        caps::ODP => vec![
            ("transport_page_fault_scheme_cap.ud_odp_caps.send", 1, None),
            ("transport_page_fault_scheme_cap.rc_odp_caps.send", 1, None),
            ("transport_page_fault_scheme_cap.rc_odp_caps.receive", 1, None),
            ("transport_page_fault_scheme_cap.rc_odp_caps.write", 1, None),
            ("transport_page_fault_scheme_cap.rc_odp_caps.read", 1, None),
            ("transport_page_fault_scheme_cap.rc_odp_caps.atomic", 1, None),
            ("memory_page_fault_scheme_cap.rc_odp_caps.send", 1, Some(0)),
            ("mem_page_fault", 1, Some(0)),
        ],
        caps::ATOMIC => vec![
            ("atomic_req_8B_endianness_mode", 1, None),
            ("atomic_operations", 0x3ff, None),
            ("atomic_size_qp", 0x48, None),
            ("atomic_size_dc", 0x48, None),
        ],
        caps::ROCE => vec![
            ("roce_apm", 1, None),
            ("l3_type", 0b11, None),
            ("roce_version", 0b110, None),
            ("r_roce_dest_udp_port", 4791, None),
            ("r_roce_max_src_udp_port", 0xffff, None),
            ("r_roce_min_src_udp_port", 0xc000, None),
            ("roce_address_table_size", 255, None),
        ],
        caps::FLOW_TABLE => flow_props(&NIC_RX, 64)
            .into_iter()
            .chain(flow_props(&NIC_TX, 64))
            .chain([
                ("nic_rx_multi_path_tirs", 1, None),
                ("log_max_packet_reformat_context", 23, None),
                ("max_encap_header_size", 128, None),
            ])
            .collect(),
        caps::ESWITCH_FLOW_TABLE => flow_props(&ESW_FDB, 64)
            .into_iter()
            .chain([("flow_source", 1, None), ("fdb_multi_path_to_table", 1, None)])
            .collect(),
        caps::ESWITCH => vec![
            ("vport_svlan_strip", 1, None),
            ("vport_cvlan_strip", 1, None),
            ("vport_svlan_insert", 1, None),
            ("vport_cvlan_insert_if_not_exist", 1, None),
            ("vport_cvlan_insert_overwrite", 1, None),
            ("esw_uplink_ingress_acl", 1, None),
            ("ecpf_vport_exists", bf3, None),
            ("merged_eswitch", 1, None),
            ("nic_vport_node_guid_modify", 1, None),
            ("nic_vport_port_guid_modify", 1, None),
            ("vxlan_encap_decap", 1, None),
            ("log_max_fdb_encap_uplink", 18, None),
            ("log_max_packet_reformat_context", 23, None),
            ("max_encap_header_size", 128, None),
            ("log_max_esw_sf", 8, None),
            ("esw_sf_base_id", 0x8000, None),
        ],
        caps::QOS => vec![
            ("packet_pacing", 1, None),
            ("esw_scheduling", 1, None),
            ("esw_bw_share", 1, None),
            ("esw_rate_limit", 1, None),
            ("packet_pacing_burst_bound", 1, None),
            ("packet_pacing_typical_size", 1, None),
            ("nic_sq_scheduling", 1, None),
            ("log_esw_max_sched_depth", 4, None),
            ("packet_pacing_max_rate", 400_000_000, None),
            ("packet_pacing_min_rate", 1_000, None),
            ("packet_pacing_rate_table_size", 128, None),
            ("esw_element_type", 0x1, None),
            ("esw_tsar_type", 0x3, None),
            ("max_qos_para_vport", 64, None),
            ("max_tsar_bw_share", 100, None),
        ],
        caps::DEV_MEM => vec![
            ("memic", 1, None),
            ("log_min_memic_alloc_size", 6, None),
            ("max_memic_size", 0x4_0000, None),
            ("log_sw_icm_alloc_granularity", 12, None),
            ("log_steering_sw_icm_size", 24, None),
            ("log_header_modify_sw_icm_size", 20, None),
        ],
        caps::TLS => vec![
            ("tls_1_2_aes_gcm_128", 1, None),
            ("tls_1_3_aes_gcm_128", 1, None),
            ("tls_1_2_aes_gcm_256", 1, None),
            ("tls_1_3_aes_gcm_256", 1, None),
        ],
        caps::VDPA_EMULATION => vec![
            ("eth_frame_offload_type", 1, None),
            ("virtio_version_1_0", 1, None),
            ("event_mode", 0x3, None),
            ("virtio_queue_type", 0x3, None),
            ("log_doorbell_stride", 12, None),
            ("log_doorbell_bar_size", 0, None),
            ("max_emulated_devices", if bf3 == 1 { 255 } else { 0 }, None),
            ("max_num_virtio_queues", 256, None),
        ],
        // DEV_EVENT: 256-bit event masks, none of the user events modelled.
        caps::DEV_EVENT => Vec::new(),
        caps::IPSEC => vec![
            ("ipsec_full_offload", 1, None),
            ("ipsec_crypto_offload", 1, None),
            ("ipsec_esn", 1, None),
            ("ipsec_crypto_esp_aes_gcm_256_encrypt", 1, None),
            ("ipsec_crypto_esp_aes_gcm_128_encrypt", 1, None),
            ("ipsec_crypto_esp_aes_gcm_256_decrypt", 1, None),
            ("ipsec_crypto_esp_aes_gcm_128_decrypt", 1, None),
            ("log_max_ipsec_offload", 16, None),
            ("min_log_ipsec_full_replay_window", 5, None),
            ("max_log_ipsec_full_replay_window", 12, None),
        ],
        caps::CRYPTO => {
            vec![("synchronize_dek", 1, None), ("log_dek_max_alloc", 8, None), ("log_max_num_deks", 16, None)]
        }
        caps::MACSEC => vec![
            ("macsec_epn", 1, None),
            ("macsec_crypto_esp_aes_gcm_256_encrypt", 1, None),
            ("macsec_crypto_esp_aes_gcm_128_encrypt", 1, None),
            ("macsec_crypto_esp_aes_gcm_256_decrypt", 1, None),
            ("macsec_crypto_esp_aes_gcm_128_decrypt", 1, None),
            ("log_max_macsec_offload", 14, None),
        ],
        caps::GENERAL_2 => vec![
            ("migratable", 1, None),
            ("query_vuid", 1, None),
            ("migration_multi_load", 1, None),
            ("migration_tracking_state", 1, None),
            ("sw_vhca_id_valid", 1, None),
            ("max_reformat_insert_size", 128, None),
            ("max_reformat_remove_size", 128, None),
        ],
        caps::PORT_SELECTION => flow_props(&PORT_SEL, 8)
            .into_iter()
            .chain([("port_select_flow_table", 1, None), ("port_select_flow_table_bypass", 1, None)])
            .collect(),
        caps::ADV_VIRTUALIZATION => vec![
            ("pg_track_log_max_num", 2, None),
            ("pg_track_max_num_range", 128, None),
            ("pg_track_log_min_addr_space", 12, None),
            ("pg_track_log_max_addr_space", 48, None),
            ("pg_track_log_min_msg_size", 6, None),
            ("pg_track_log_max_msg_size", 12, None),
            ("pg_track_log_min_page_size", 12, None),
            ("pg_track_log_max_page_size", 30, None),
        ],
        _ => Vec::new(),
    }
}

/// Values of a flow table properties block, in the order of the `props!` names.
const FLOW_PROP_VALUES: [u64; 20] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 23, 23, 64, 0, 22, 24, 8, 24];
/// Index of `max_ft_level` in [`FLOW_PROP_VALUES`].
const MAX_FT_LEVEL: usize = 15;

/// The flow table properties block named by `names` (one of the `props!` arrays).
fn flow_props(names: &[&'static str; 20], max_level: u64) -> Values {
    names
        .iter()
        .zip(FLOW_PROP_VALUES)
        .enumerate()
        .map(|(i, (n, v))| (*n, if i == MAX_FT_LEVEL { max_level } else { v }, None))
        .collect()
}

/// The 20 modelled fields of a flow table properties block `$p`.
macro_rules! props {
    ($p:literal) => {
        [
            concat!($p, ".ft_support"),
            concat!($p, ".flow_counter"),
            concat!($p, ".flow_modify_en"),
            concat!($p, ".modify_root"),
            concat!($p, ".identified_miss_table_mode"),
            concat!($p, ".flow_table_modify"),
            concat!($p, ".reformat"),
            concat!($p, ".decap"),
            concat!($p, ".pop_vlan"),
            concat!($p, ".push_vlan"),
            concat!($p, ".ignore_flow_level"),
            concat!($p, ".termination_table"),
            concat!($p, ".log_max_ft_size"),
            concat!($p, ".log_max_modify_header_context"),
            concat!($p, ".max_modify_header_actions"),
            concat!($p, ".max_ft_level"),
            concat!($p, ".log_max_ft_num"),
            concat!($p, ".log_max_flow_counter"),
            concat!($p, ".log_max_destination"),
            concat!($p, ".log_max_flow"),
        ]
    };
}

#[rustfmt::skip]
const NIC_RX: [&str; 20] = props!("flow_table_properties_nic_receive");
#[rustfmt::skip]
const NIC_TX: [&str; 20] = props!("flow_table_properties_nic_transmit");
#[rustfmt::skip]
const ESW_FDB: [&str; 20] = props!("flow_table_properties_nic_esw_fdb");
#[rustfmt::skip]
const PORT_SEL: [&str; 20] = props!("flow_table_properties_port_selection");

/// Build a capability page (4096 bytes): maximum (`cur` false) or current.
/// `None` for a page the device does not have.
pub(crate) fn cap_page(c: &SimConfig, cap_type: u16, function: u16, cur: bool) -> Option<Vec<u8>> {
    if !has_page(c.profile, cap_type) {
        return None;
    }
    let layout: &Layout = caps::page_layout(cap_type)?;
    let mut p = vec![0u8; hca_cap::CAPABILITY_BYTES];
    for (name, max, current) in values(c, cap_type, function) {
        if let Some(f) = layout.field(name) {
            f.set(&mut p, if cur { current.unwrap_or(max) } else { max });
        }
    }
    if cap_type == caps::DEBUG {
        use caps::debug as d;
        d::CORE_DUMP_GENERAL.set(&mut p, 1);
        d::RESOURCE_DUMP.set(&mut p, 1);
        d::LOG_MAX_SAMPLES.set(&mut p, u64::from(LOG_MAX_SAMPLES));
        d::SINGLE.set(&mut p, 1);
        d::REPETITIVE.set(&mut p, 1);
        d::LOG_MIN_SAMPLE_PERIOD.set(&mut p, u64::from(LOG_MIN_SAMPLE_PERIOD));
        for (i, id) in c.diagnostic_counters.iter().enumerate() {
            let e = &mut p[d::COUNTERS_BYTE + 4 * i..];
            d::COUNTER_ID.set(e, u64::from(*id));
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_value_exists_in_its_page() {
        for profile in Profile::ALL {
            let c = SimConfig::for_profile(profile);
            for t in caps::MODELLED {
                let layout = caps::page_layout(t).map(|l| l.name).unwrap_or("none");
                for (name, max, cur) in values(&c, t, 0) {
                    let f = caps::page_layout(t).and_then(|l| l.field(name));
                    assert!(f.is_some(), "{name} is not a field of {layout}");
                    if let Some(f) = f {
                        assert_eq!(f.kind, crate::prm::FieldKind::Uint, "{name} is not an integer");
                        assert!(
                            f.width >= 64 || max >> f.width == 0,
                            "{name}={max} does not fit {} bits",
                            f.width
                        );
                    }
                    assert!(cur.is_none_or(|c| c <= max), "{name}: current above maximum");
                }
            }
        }
    }
}
