package testenv

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A Libvirtd is a libvirt session daemon a test started: unprivileged
// (as nobody when the test runs as root), its HOME and XDG directories in
// a temporary directory, its socket there, stopped by PID when the test
// ends, with every QEMU it started.
type Libvirtd struct {
	Dir      string // its HOME
	Socket   string // its unix socket
	asNobody bool
	cmd      *exec.Cmd
}

// LibvirtSession starts a session libvirtd and waits until its socket
// answers, or calls [Missing] when libvirtd or virsh is not installed.
func LibvirtSession(t testing.TB) *Libvirtd {
	t.Helper()
	Tool(t, "libvirtd", "libvirt-daemon libvirt-daemon-driver-qemu")
	Tool(t, "virsh", "libvirt-clients")
	dir, err := os.MkdirTemp("", "gm-libvirtd-")
	if err != nil {
		t.Fatal(err)
	}
	d := &Libvirtd{Dir: dir, Socket: filepath.Join(dir, "run", "libvirt", "libvirt-sock"), asNobody: os.Geteuid() == 0}
	for _, sub := range []string{"run", "config", "cache"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if d.asNobody {
		os.Chmod(dir, 0o755)
		if out, err := exec.Command("chown", "-R", "nobody:nogroup", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v: %s", err, out)
		}
	}
	// The daemon exits on its own after this long idle, should the test
	// process die before it can stop it.
	idle := strconv.Itoa(int(Timeout(10 * time.Minute).Seconds()))
	d.cmd = d.command("libvirtd", "--timeout", idle)
	log, err := os.Create(filepath.Join(os.TempDir(), filepath.Base(dir)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	d.cmd.Stdout, d.cmd.Stderr = log, log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { d.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		d.stopGuests()
		d.cmd.Process.Kill() // by PID
		<-exited
		log.Close()
		os.Remove(log.Name())
		os.RemoveAll(dir)
	})
	deadline := time.Now().Add(Timeout(60 * time.Second))
	for {
		if c, err := net.Dial("unix", d.Socket); err == nil {
			c.Close()
			return d
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(log.Name())
			t.Fatalf("libvirtd exited before it listened: %s", b)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("libvirtd did not listen on %s within the time limit", d.Socket)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// command runs a program as the daemon's user, in its environment.
func (d *Libvirtd) command(name string, args ...string) *exec.Cmd {
	env := []string{"env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + d.Dir,
		"XDG_RUNTIME_DIR=" + filepath.Join(d.Dir, "run"), "XDG_CONFIG_HOME=" + filepath.Join(d.Dir, "config"),
		"XDG_CACHE_HOME=" + filepath.Join(d.Dir, "cache"), name}
	argv := append(env, args...)
	if d.asNobody {
		argv = append([]string{"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"}, argv...)
	}
	return exec.Command(argv[0], argv[1:]...)
}

// URI returns the URI of a driver of the daemon ("qemu", "test") with its
// socket, such as qemu:///session?socket=….
func (d *Libvirtd) URI(driver string) string {
	path := "/session"
	if driver == "test" {
		path = "/default"
	}
	return driver + "://" + path + "?socket=" + d.Socket
}

// Virsh runs virsh against the daemon's QEMU driver, as the daemon's
// user, within the time limit, and returns its output.
func (d *Libvirtd) Virsh(t testing.TB, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout(120*time.Second))
	defer cancel()
	cmd := d.command("virsh", append([]string{"-c", d.URI("qemu")}, args...)...)
	c := exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("virsh %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// WriteFile writes a file the daemon's user can read.
func (d *Libvirtd) WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(d.Dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// stopGuests stops the QEMU processes the daemon started: through the
// daemon first (virsh destroy, so that it reaps them), then by the PIDs
// libvirt wrote, as they would outlive the daemon.
func (d *Libvirtd) stopGuests() {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout(30*time.Second))
	defer cancel()
	list := d.command("virsh", "-c", d.URI("qemu"), "list", "--name", "--state-running")
	if out, err := exec.CommandContext(ctx, list.Path, list.Args[1:]...).Output(); err == nil {
		for _, name := range strings.Fields(string(out)) {
			destroy := d.command("virsh", "-c", d.URI("qemu"), "destroy", name)
			exec.CommandContext(ctx, destroy.Path, destroy.Args[1:]...).Run()
		}
	}
	pids, _ := filepath.Glob(filepath.Join(d.Dir, "run", "libvirt", "qemu", "run", "*.pid"))
	pids2, _ := filepath.Glob(filepath.Join(d.Dir, "run", "libvirt", "qemu", "*.pid"))
	for _, f := range append(pids, pids2...) {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 1 {
			if p, err := os.FindProcess(pid); err == nil {
				p.Kill()
			}
		}
	}
}
