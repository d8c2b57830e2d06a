package libvirt

import (
	"context"
	"encoding/json"
	"fmt"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/genid-migrate/genid-migrate/readers/qmp"
)

// Monitor returns the QMP monitor of a running domain through libvirt's
// passthrough (virsh qemu-monitor-command): libvirt keeps owning QEMU's
// socket. libvirt marks a domain whose monitor was used so as tainted
// ("custom-monitor") in its log; the commands sent are only queries and
// the read-only xp.
func (c *Conn) Monitor(d golibvirt.Domain) qmp.Monitor { return &monitor{c: c, d: d} }

type monitor struct {
	c *Conn
	d golibvirt.Domain
}

// Execute runs one QMP command and returns its "return" value.
func (m *monitor) Execute(_ context.Context, command string, args any) (json.RawMessage, error) {
	req := map[string]any{"execute": command}
	if args != nil {
		req["arguments"] = args
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var out string
	err = m.c.call(command+" on "+m.d.Name, func() (err error) {
		out, err = m.c.l.QEMUDomainMonitorCommand(m.d, string(b), 0)
		return noDomain(err)
	})
	if err != nil {
		return nil, err
	}
	var resp struct {
		Return json.RawMessage `json:"return"`
		Error  *struct {
			Class string `json:"class"`
			Desc  string `json:"desc"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		return nil, fmt.Errorf("%s: bad monitor reply to %s: %w", m.c.URI, command, err)
	}
	if resp.Error != nil {
		return nil, &qmp.Error{Command: command, Class: resp.Error.Class, Desc: resp.Error.Desc}
	}
	return resp.Return, nil
}
