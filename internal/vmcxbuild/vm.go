package vmcxbuild

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"strings"
)

// A VM describes a virtual machine configuration to write.
type VM struct {
	Name         string
	GlobalID     string // upper-case GUID, also the file name
	GenerationID string // Hyper-V generation_id: 32 hex digits ("" for none)
	Gen2         bool   // subtype 1 (UEFI) rather than 0 (BIOS)
	Version      int64  // properties/version; zero means 2304 (9.0)
	Notes        string // properties/notes, as an administrator typed them
}

// Tree returns a configuration tree in the shape Hyper-V writes (the same
// top-level nodes and the kinds of leaves the real samples have), with the
// VM's identity and generation ID. Its size is about that of a real file
// when written (80 KiB).
func (vm VM) Tree() *Key {
	version := vm.Version
	if version == 0 {
		version = 2304
	}
	subtype := int64(0)
	if vm.Gen2 {
		subtype = 1
	}
	seed := fnv.New64a()
	seed.Write([]byte(vm.GlobalID))
	guid := func(i int) string { // deterministic GUID-like names per VM
		h := fnv.New64a()
		h.Write([]byte(fmt.Sprintf("%s/%d", vm.GlobalID, i)))
		v := h.Sum64()
		return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(v>>32), uint16(v>>16), uint16(v), uint16(v>>48)^0x4000, v&0xffffffffffff)
	}
	devices := Node("devices",
		Bool("allow_reduced_fc_redundancy", false),
		Bool("storage_allow_full_scsi_command_set", false),
		Bool("lock_on_disconnect", false),
		Int("cpu_architecture", 0),
		Bool("host_resource_protection_enabled", false),
	)
	if vm.GenerationID != "" {
		devices.Children = append(devices.Children, String("generation_id", vm.GenerationID))
	}
	created := make([]byte, 8)
	binary.LittleEndian.PutUint64(created, 0x01d4f1a2b3c4d5e6)
	root := Node("configuration",
		Node("properties",
			String("name", vm.Name),
			String("global_id", vm.GlobalID),
			Int("version", version),
			Int("subtype", subtype),
			Int("type_id", 0),
			Bytes("creation_time", created),
			String("notes", vm.Notes),
			Bool("is_saved", false),
			Int("highly_available", 0),
			String("last_powered_on_time", ""),
		),
		Node("global_settings",
			devices,
			Node("metrics", Bool("enabled", false)),
			Node("power", Bool("enable_net_wakeup", false)),
			Node("security", Bool("tpm_enabled", vm.Gen2), Bool("shielding_requested", false)),
			Node("storage", String("data_root", `C:\ProgramData\Microsoft\Windows\Hyper-V`)),
			Node("snapshot", String("data_root", `C:\ProgramData\Microsoft\Windows\Hyper-V`), Int("type", 3)),
			Node("guest_state", String("guest_state_file_type", "VMGS")),
			Node("automation", Int("start_action", 2), Int("stop_action", 1), Int("start_delay", 0)),
		),
		Node("settings",
			Node("global", String("logical_id", vm.GlobalID)),
			Node("memory", Node("bank", Int("size", 4096), Int("limit", 1048576), Int("reservation", 512), Bool("dynamic_memory_enabled", false))),
			Node("processors", Int("count", 2), Int("limit", 100000), Int("reservation", 0), Int("weight", 100)),
			Node("bios", Bool("num_lock", false), Bytes("base_board_serial", []byte(strings.Repeat("0", 24)))),
		),
		Node("manifest"),
	)
	manifest := root.Children[3]
	for i := 0; i < 40; i++ { // device manifest entries, as real files carry dozens
		id := guid(i)
		manifest.Children = append(manifest.Children, Node(fmt.Sprintf("vdev%d", i),
			String("device", id),
			String("instance", guid(1000+i)),
			Int("flags", int64(i%3)),
			String("name", fmt.Sprintf("Microsoft Synthetic Device %d", i)),
		))
		root.Children = append(root.Children, Node("_"+id+"_",
			Node("resources", String("friendly_name", fmt.Sprintf("Device %d", i)), Int("weight", 100), Bool("enabled", i%2 == 0)),
		))
	}
	return root
}
