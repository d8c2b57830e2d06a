package formats

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/readers/qmp"
)

// QMP is the format name of an ID read from a running QEMU.
const QMP = "qmp"

// ReadQMP reads what a running QEMU guest sees through its QMP socket,
// waiting up to wait for the guest firmware to publish it.
func ReadQMP(ctx context.Context, addr string, wait time.Duration) (*Result, *qmp.Reading, error) {
	ctx, cancel := context.WithTimeout(ctx, wait+10*time.Second)
	defer cancel()
	c, err := qmp.Dial(ctx, addr)
	if err != nil {
		return nil, nil, fmt.Errorf("QMP %s: %w", addr, err)
	}
	defer c.Close()
	return ReadGuest(ctx, c, addr, "QMP "+addr, wait)
}

// ReadGuest reads what a running QEMU guest sees through a monitor (its
// QMP socket, or libvirt's passthrough), waiting up to wait for the guest
// firmware to publish it; input names the guest in the result, and what in
// errors.
func ReadGuest(ctx context.Context, m qmp.Monitor, input, what string, wait time.Duration) (*Result, *qmp.Reading, error) {
	deadline := time.Now().Add(wait)
	for {
		r, err := qmp.Probe(ctx, m)
		if err == nil {
			res := &Result{Input: input, Format: QMP, Description: "running QEMU guest (QMP)", Reading: genid.Reading{ID: r.Guest, Convention: genid.ConvGuestBytes,
				Where: fmt.Sprintf("guest-physical %#x (%s firmware), QEMU %s", r.Address, r.Firmware, r.QEMU)}}
			res.AddFields(genid.Field{Key: "host_guid", Label: "QMP guid", Value: r.HostGUID})
			if !r.Consistent {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the guest's bytes differ from the host's view (query-vm-generation-id %s): the guest sees what is shown above", r.HostGUID))
			}
			return res, r, nil
		}
		if !errors.Is(err, qmp.ErrNotReady) || time.Now().After(deadline) {
			return nil, r, fmt.Errorf("%s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return nil, r, fmt.Errorf("%s: %w", what, ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}
