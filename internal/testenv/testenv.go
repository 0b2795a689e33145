// Package testenv gives tests the real Docker Engine and BuildKit daemons that
// .ci/lib/daemons.sh starts, and the base images they need.
//
// The daemons are found through environment variables, never through the
// user's own DOCKER_HOST or BUILDKIT_HOST, so that a test can never build on
// or delete from a developer's daemon by accident:
//
//	STRATA_DOCKER_HOST    unix:///.../docker.sock of the test dockerd
//	STRATA_BUILDKIT_HOST  unix:///.../buildkitd.sock of the test buildkitd
//	STRATA_TEST_DAEMONS   "require": a missing daemon fails the test instead
//	                      of skipping it (CI sets it so that nothing is
//	                      skipped silently)
//
// Run `bash .ci/lib/daemons.sh run -- go test ./...` to get both.
package testenv

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// Environment variables read by this package and exported by daemons.sh.
const (
	DockerHostEnv   = "STRATA_DOCKER_HOST"
	BuildKitHostEnv = "STRATA_BUILDKIT_HOST"
	RequireEnv      = "STRATA_TEST_DAEMONS"
	// OCILayoutEnv names the OCI layout holding the base images that
	// daemons.sh loaded into the daemons, each under its reference in the
	// org.opencontainers.image.ref.name annotation.
	OCILayoutEnv = "STRATA_TEST_OCI_LAYOUT"
)

// Docker returns the address of the test Docker Engine (unix://PATH or
// tcp://HOST:PORT). It skips the test when STRATA_DOCKER_HOST is unset and
// fails it when the daemon does not answer.
func Docker(t testing.TB) string {
	t.Helper()
	return daemon(t, DockerHostEnv, "Docker Engine")
}

// BuildKit returns the address of the test BuildKit daemon, in the form
// BuildKit's client.New accepts. It skips the test when STRATA_BUILDKIT_HOST
// is unset and fails it when the daemon does not answer.
func BuildKit(t testing.TB) string {
	t.Helper()
	return daemon(t, BuildKitHostEnv, "BuildKit daemon")
}

func daemon(t testing.TB, env, what string) string {
	t.Helper()
	addr := os.Getenv(env)
	if addr == "" {
		missing(t, "no %s for tests: %s is unset (start one with `bash .ci/lib/daemons.sh run -- go test ./...`)", what, env)
	}
	if err := dial(addr); err != nil {
		t.Fatalf("%s=%s: the %s does not answer: %v", env, addr, what, err)
	}
	return addr
}

// missing skips the test, or fails it when STRATA_TEST_DAEMONS=require.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(RequireEnv) == "require" {
		t.Fatalf(format+" ("+RequireEnv+"=require)", args...)
	}
	t.Skipf(format, args...)
}

// dial checks that something listens at addr, so that a stale variable gives
// one clear failure instead of a time-out deep inside a client.
func dial(addr string) error {
	network, address, err := SplitAddr(addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, network, address)
	if err != nil {
		return err
	}
	return conn.Close()
}

// SplitAddr splits a daemon address into the network and address that
// net.Dial takes: unix:///run/x.sock gives ("unix", "/run/x.sock") and
// tcp://127.0.0.1:1234 gives ("tcp", "127.0.0.1:1234").
func SplitAddr(addr string) (network, address string, err error) {
	u, err := url.Parse(addr)
	if err != nil {
		return "", "", fmt.Errorf("parsing daemon address %q: %w", addr, err)
	}
	switch u.Scheme {
	case "unix":
		return "unix", u.Path, nil
	case "tcp":
		return "tcp", u.Host, nil
	}
	return "", "", fmt.Errorf("daemon address %q: want unix:// or tcp://", addr)
}

// ShortName returns a lower-case name unique to the test, usable in an image
// tag, so that parallel tests sharing a daemon do not overwrite each other.
func ShortName(t testing.TB) string {
	var b strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
