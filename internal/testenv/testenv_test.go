package testenv_test

import (
	"testing"

	"github.com/strata-dev/strata/internal/testenv"
)

func TestSplitAddr(t *testing.T) {
	for _, tc := range []struct{ addr, network, address string }{
		{"unix:///tmp/x/docker.sock", "unix", "/tmp/x/docker.sock"},
		{"tcp://127.0.0.1:1234", "tcp", "127.0.0.1:1234"},
	} {
		network, address, err := testenv.SplitAddr(tc.addr)
		if err != nil || network != tc.network || address != tc.address {
			t.Errorf("SplitAddr(%q) = %q, %q, %v; want %q, %q", tc.addr, network, address, err, tc.network, tc.address)
		}
	}
	if _, _, err := testenv.SplitAddr("docker-container://buildkitd"); err == nil {
		t.Error("SplitAddr accepted a docker-container:// address")
	}
}

func TestNamedContextKey(t *testing.T) {
	for ref, want := range map[string]string{
		"strata-test/busybox:latest":  "context:strata-test/busybox",
		"strata-test/debian:bookworm": "context:strata-test/debian:bookworm",
		"docker.io/library/alpine":    "context:alpine",
	} {
		if got, err := testenv.NamedContextKey(ref); err != nil || got != want {
			t.Errorf("NamedContextKey(%q) = %q, %v; want %q", ref, got, err, want)
		}
	}
}

func TestMissingDaemonSkips(t *testing.T) {
	for env, daemon := range map[string]func(testing.TB) string{
		testenv.DockerHostEnv:   testenv.Docker,
		testenv.BuildKitHostEnv: testenv.BuildKit,
	} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "")
			t.Setenv(testenv.RequireEnv, "")
			var skipped bool
			t.Run("inner", func(t *testing.T) {
				defer func() { skipped = t.Skipped() }()
				daemon(t)
			})
			if !skipped {
				t.Errorf("with %s unset the test was not skipped", env)
			}
		})
	}
}
