package dockerhost

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	if h, err := Resolve(env(map[string]string{"DOCKER_HOST": "tcp://d:2375", "DOCKER_CONFIG": dir})); err != nil || h != "tcp://d:2375" {
		t.Errorf("DOCKER_HOST: %q, %v", h, err)
	}
	if h, err := Resolve(env(map[string]string{"DOCKER_CONFIG": dir})); err != nil || h != "" {
		t.Errorf("no config: %q, %v", h, err)
	}
	sum := sha256.Sum256([]byte("remote"))
	meta := filepath.Join(dir, "contexts", "meta", hex.EncodeToString(sum[:]))
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(meta, "meta.json"), []byte(`{"Name":"remote","Endpoints":{"docker":{"Host":"ssh://me@box"}}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"currentContext":"remote"}`), 0o644)
	if h, err := Resolve(env(map[string]string{"DOCKER_CONFIG": dir})); err != nil || h != "ssh://me@box" {
		t.Errorf("current context: %q, %v", h, err)
	}
	if h, err := Resolve(env(map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "default"})); err != nil || h != "" {
		t.Errorf("DOCKER_CONTEXT=default: %q, %v", h, err)
	}
	if _, err := Resolve(env(map[string]string{"DOCKER_CONFIG": dir, "DOCKER_CONTEXT": "missing"})); err == nil {
		t.Error("a missing context was accepted")
	}
}
