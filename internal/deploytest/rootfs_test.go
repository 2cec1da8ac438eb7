package deploytest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// dockerfile is what the test reads from the Dockerfile's final stage.
type dockerfile struct {
	user        string            // USER uid:gid
	env         map[string]string // ENV
	volume      string
	expose      string
	healthcheck string
	entrypoint  string
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := dockerfile{env: map[string]string{}}
	final := false
	var lines []string
	sc := bufio.NewScanner(f)
	cont := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasSuffix(line, `\`) {
			cont += strings.TrimSuffix(line, `\`) + " "
			continue
		}
		lines = append(lines, cont+line)
		cont = ""
	}
	for _, line := range lines {
		word, rest, _ := strings.Cut(line, " ")
		switch word {
		case "FROM":
			final = rest == "scratch"
		case "USER":
			d.user = rest
		case "ENV":
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				d.env[k] = v
			}
		case "VOLUME":
			d.volume = rest
		case "EXPOSE":
			d.expose = rest
		case "HEALTHCHECK":
			d.healthcheck = rest
		case "ENTRYPOINT":
			d.entrypoint = rest
		}
	}
	if !final {
		t.Fatal("the Dockerfile's last stage is not FROM scratch")
	}
	return d
}

// TestImageRootFSRunsAsNonRoot assembles the image's root filesystem with
// deploy/image-rootfs.sh and starts leoc inside it (chroot) as the image's
// USER with the image's ENV, then runs the image's HEALTHCHECK command the
// same way. It needs root for chroot and the user switch, as CI has.
func TestImageRootFSRunsAsNonRoot(t *testing.T) {
	d := readDockerfile(t)
	if d.user != "10001:10001" || d.volume != `["/data"]` || d.expose != "5002" ||
		d.env["LEOC_ENV"] != "production" || d.env["LEOC_DATA_DIR"] != "/data" || d.env["LEOC_ADDR"] != ":5002" ||
		!strings.Contains(d.healthcheck, `CMD ["/usr/local/bin/leoc", "healthcheck"]`) || d.entrypoint != `["/usr/local/bin/leoc"]` {
		t.Fatalf("Dockerfile final stage changed; update this test with it: %+v", d)
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run as root: this test chroots and switches user")
		}
		t.Skip("needs root (chroot and switching to the image's user); CI runs it")
	}
	root := filepath.Join(t.TempDir(), "rootfs")
	if out, err := exec.Command("sh", filepath.Join(repoRoot(t), "deploy", "image-rootfs.sh"), binary, root).CombinedOutput(); err != nil {
		t.Fatalf("image-rootfs.sh: %v\n%s", err, out)
	}
	for _, p := range []string{"usr/local/bin/leoc", "etc/ssl/certs/ca-certificates.crt", "usr/share/zoneinfo/Asia/Kathmandu", "etc/passwd", "tmp"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("rootfs lacks %s: %v", p, err)
		}
	}
	passwd, _ := os.ReadFile(filepath.Join(root, "etc", "passwd"))
	if !strings.Contains(string(passwd), "leoc:x:10001:10001:") {
		t.Fatalf("no passwd entry for the image's user:\n%s", passwd)
	}

	addr := freeAddr(t, "127.0.0.1")
	env := []string{"PATH=/usr/local/bin"}
	for k, v := range d.env {
		env = append(env, k+"="+v)
	}
	// What an operator adds at docker run: the secrets, the public URL, and
	// here a free port instead of :5002, which other tests may use.
	env = append(env, "LEOC_ADDR="+addr, "LEOC_SECRET_KEY=3f9a1c7e5b2d8f4a6c0e9b1d7a3f5c8e2b6d4a0f9c1e7b3d5a8f2c6e0b4d9a7f",
		"LEOC_BASE_URL=https://leoc.example.gov.np")
	uid, gid := ids(t, d.user)
	attr := func() *syscall.SysProcAttr {
		return &syscall.SysProcAttr{Chroot: root, Credential: &syscall.Credential{Uid: uid, Gid: gid}}
	}
	cmd := exec.Command("/usr/local/bin/leoc", "serve")
	cmd.Env, cmd.Dir, cmd.SysProcAttr = env, "/", attr()
	p := start(t, cmd)
	waitHealthy(t, p, "http://"+addr)

	if status, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"); err != nil {
		t.Fatal(err)
	} else if !strings.Contains(string(status), "\nUid:\t10001\t10001\t10001\t10001\n") {
		t.Fatalf("leoc does not run as 10001:\n%s", status)
	}
	// The database was created in the volume, owned by the user.
	fi, err := os.Stat(filepath.Join(root, "data", "leoc.db"))
	if err != nil {
		t.Fatalf("no database in /data: %v", err)
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid != 10001 {
		t.Fatalf("/data/leoc.db belongs to %d", st.Uid)
	}
	// The HEALTHCHECK command, run as the container would.
	hc := exec.Command("/usr/local/bin/leoc", "healthcheck")
	hc.Env, hc.Dir, hc.SysProcAttr = env, "/", attr()
	if out, err := hc.CombinedOutput(); err != nil || !strings.Contains(string(out), "healthy") {
		t.Fatalf("leoc healthcheck in the rootfs: %v\n%s", err, out)
	}
	// Production logs are JSON.
	if lines := logLines(p.out.String()); len(lines) == 0 || !strings.Contains(strings.Join(lines, "\n"), `"msg":"LEOC started"`) {
		t.Fatalf("no JSON log line saying LEOC started:\n%s", p.out.String())
	}
}

func ids(t *testing.T, user string) (uint32, uint32) {
	u, g, _ := strings.Cut(user, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if err1 != nil || err2 != nil {
		t.Fatalf("USER %q is not uid:gid", user)
	}
	return uint32(uid), uint32(gid)
}
