package qmp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// A Client is a QMP connection in command mode.
type Client struct {
	conn    net.Conn
	r       *bufio.Reader
	Version string // QEMU's version from the greeting
}

// An Error is an error QEMU returned for a command.
type Error struct {
	Command string
	Class   string
	Desc    string
}

func (e *Error) Error() string { return fmt.Sprintf("QMP %s: %s: %s", e.Command, e.Class, e.Desc) }

// Dial connects to a QMP socket: a unix socket path, or host:port where
// host is on the loopback network, and negotiates capabilities.
func Dial(ctx context.Context, addr string) (*Client, error) {
	network := "unix"
	if host, _, err := net.SplitHostPort(addr); err == nil && !strings.Contains(addr, "/") {
		if !isLoopback(host) {
			return nil, fmt.Errorf("QMP address %q is not on the loopback network; use a unix socket or 127.0.0.1:PORT", addr)
		}
		network = "tcp"
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn, r: bufio.NewReaderSize(conn, 1<<20)}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	var greeting struct {
		QMP struct {
			Version struct {
				QEMU struct{ Major, Minor, Micro int } `json:"qemu"`
			} `json:"version"`
		} `json:"QMP"`
	}
	line, err := c.readLine()
	if err == nil {
		err = json.Unmarshal(line, &greeting)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s: not a QMP socket: %w", addr, err)
	}
	v := greeting.QMP.Version.QEMU
	c.Version = fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Micro)
	if _, err := c.Execute(ctx, "qmp_capabilities", nil); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

const maxLine = 64 << 20 // a reply to xp of 1 MiB is about 3.7 MB

func (c *Client) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := c.r.ReadLine()
		if err != nil {
			return nil, err
		}
		line = append(line, chunk...)
		if len(line) > maxLine {
			return nil, errors.New("QMP reply too long")
		}
		if !isPrefix {
			return line, nil
		}
	}
}

// Execute runs a command and returns its "return" value, skipping events.
func (c *Client) Execute(ctx context.Context, command string, args any) (json.RawMessage, error) {
	if dl, ok := ctx.Deadline(); ok {
		c.conn.SetDeadline(dl)
	} else {
		c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	req := map[string]any{"execute": command}
	if args != nil {
		req["arguments"] = args
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	if _, err := c.conn.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	for {
		line, err := c.readLine()
		if err != nil {
			return nil, fmt.Errorf("QMP %s: %w", command, err)
		}
		var resp struct {
			Return json.RawMessage `json:"return"`
			Error  *struct {
				Class string `json:"class"`
				Desc  string `json:"desc"`
			} `json:"error"`
			Event string `json:"event"`
		}
		if err := json.Unmarshal(line, &resp); err != nil {
			return nil, fmt.Errorf("QMP %s: bad reply: %w", command, err)
		}
		switch {
		case resp.Event != "":
			continue
		case resp.Error != nil:
			return nil, &Error{Command: command, Class: resp.Error.Class, Desc: resp.Error.Desc}
		}
		return resp.Return, nil
	}
}

// HMP runs a human-monitor command and returns its output.
func (c *Client) HMP(ctx context.Context, cmd string) (string, error) { return hmp(ctx, c, cmd) }
