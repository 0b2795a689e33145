package analyze

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

func TestFindings(t *testing.T) {
	img := layers(false,
		testimg.Tar(F{Name: "usr/bin/su", Body: body(100), Mode: 0o4755}, F{Name: "usr/bin/wall", Body: body(50), Mode: 0o2755},
			F{Name: "tmp/", Type: '5', Mode: 0o1777}, F{Name: "srv/open/", Type: '5', Mode: 0o777}, F{Name: "srv/w.txt", Body: "w", Mode: 0o666},
			F{Name: "var/lib/apt/lists/lock"}, F{Name: "var/lib/apt/lists/x_Packages", Body: body(300)},
			F{Name: "root/.cache/pip/wheels/a.whl", Body: body(40)}),
		testimg.Tar(F{Name: "root/.ssh/id_rsa", Body: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n"},
			F{Name: "etc/ssl/certs/ca.pem", Body: "-----BEGIN CERTIFICATE-----\n"}, F{Name: "app/.env", Body: "A=1"},
			F{Name: "app/.env.example", Body: "A="}, F{Name: "home/u/.aws/credentials", Body: "[default]"},
			F{Name: "big.iso", Body: body(5000)}),
		testimg.Tar(F{Name: "root/.ssh/.wh.id_rsa"}, F{Name: ".wh.big.iso"}),
	)
	r := analyzeImage(t, img, Options{})
	var got []string
	for _, f := range r.Findings {
		got = append(got, string(f.Kind)+" "+r.Paths.String(f.Path)+" "+itoa(f.Bytes))
	}
	want := []string{
		"secret /root/.ssh/id_rsa 40",
		"secret /home/u/.aws/credentials 9",
		"secret /app/.env 3",
		"cache /var/lib/apt/lists 300",
		"cache /root/.cache/pip/wheels 40",
		"world-writable /srv/w.txt 1",
		"world-writable /srv/open 0",
		"setgid /usr/bin/wall 50",
		"setuid /usr/bin/su 100",
		"deleted-content /big.iso 5000",
		"deleted-content /root/.ssh/id_rsa 40",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range r.Findings {
		if f.Kind == KindSecret && strings.Contains(r.Paths.String(f.Path), "id_rsa") && !strings.Contains(f.Message, "removed in layer 3") {
			t.Errorf("deleted key message = %q", f.Message)
		}
	}
}

func TestMatchPath(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"/var/lib/apt/lists/*", "/var/lib/apt/lists/x", true},
		{"/var/lib/apt/lists/*", "/var/lib/apt/lists/partial/y", true},
		{"/var/lib/apt/lists/*", "/var/lib/apt/lists", false},
		{"/home/*/.cache/pip/**", "/home/bob/.cache/pip/a/b", true},
		{"**/*.pem", "/etc/ssl/x.pem", true},
		{"/etc/*.conf", "/etc/sub/a.conf", false},
	} {
		if got := MatchPath(c.pattern, c.path); got != c.want {
			t.Errorf("MatchPath(%q, %q) = %v", c.pattern, c.path, got)
		}
	}
}
