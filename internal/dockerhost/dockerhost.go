// Package dockerhost finds the Docker Engine address the docker CLI would
// use, so that every part of strata that talks to the Engine (the Docker
// build back end, docker-daemon: sources) connects to the same one.
package dockerhost

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Resolve returns the Docker Engine address the docker CLI would use:
// DOCKER_HOST, else the endpoint of DOCKER_CONTEXT or of the config's
// currentContext ("" for the default socket).
func Resolve(getenv func(string) string) (string, error) {
	if h := getenv("DOCKER_HOST"); h != "" {
		return h, nil
	}
	cfgDir := getenv("DOCKER_CONFIG")
	if cfgDir == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		cfgDir = filepath.Join(home, ".docker")
	}
	name := getenv("DOCKER_CONTEXT")
	if name == "" {
		raw, err := os.ReadFile(filepath.Join(cfgDir, "config.json"))
		if err != nil {
			return "", nil // no config: the default socket
		}
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if err := json.Unmarshal(raw, &cfg); err != nil {
			return "", fmt.Errorf("%s: %w", filepath.Join(cfgDir, "config.json"), err)
		}
		name = cfg.CurrentContext
	}
	if name == "" || name == "default" {
		return "", nil
	}
	sum := sha256.Sum256([]byte(name))
	meta := filepath.Join(cfgDir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json")
	raw, err := os.ReadFile(meta)
	if err != nil {
		return "", fmt.Errorf("docker context %q: %w", name, err)
	}
	var m struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", fmt.Errorf("docker context %q: %s: %w", name, meta, err)
	}
	h := m.Endpoints["docker"].Host
	if h == "" {
		return "", fmt.Errorf("docker context %q has no docker endpoint", name)
	}
	return h, nil
}
