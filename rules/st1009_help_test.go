package rules

import (
	"strings"
	"testing"

	"github.com/strata-dev/strata/lint"
)

// ST1009's cache mount suggestion points at the home of the user the RUN
// runs as.
func TestST1009HelpHome(t *testing.T) {
	for _, tc := range []struct{ dockerfile, target string }{
		{"FROM node:22\nRUN npm ci\n", "target=/root/.npm"},
		{"FROM node:22\nUSER node\nRUN npm ci\n", "target=/home/node/.npm"},
		{"FROM node:22\nENV HOME=/app\nUSER node\nRUN npm ci\n", "target=/app/.npm"},
		{"FROM node:22\nUSER node\nUSER root\nRUN npm ci\n", "target=/root/.npm"},
		{"FROM node:22 AS base\nUSER node:node\nFROM base\nRUN npm ci\n", "target=/home/node/.npm"},
		// A variable that moves the cache moves the mount.
		{"FROM node:22\nENV npm_config_cache=/tmp/npm\nRUN npm ci\n", "target=/tmp/npm"},
		{"FROM debian:12\nENV CARGO_HOME=/opt/cargo\nRUN cargo install ripgrep\n", "target=/opt/cargo/registry"},
		{"FROM debian:12\nRUN GRADLE_USER_HOME=/cache/gradle gradle build\n", "target=/cache/gradle/caches"},
		// GOCACHE moves the build cache alone: the module cache stays.
		{"FROM alpine:3.20\nENV GOCACHE=/tmp/gocache\nRUN go build ./...\n", "target=/go/pkg/mod --mount=type=cache,target=/tmp/gocache"},
		{"FROM alpine:3.20\nENV GOCACHE=/tmp/gocache GOMODCACHE=/tmp/mod\nRUN go build ./...\n", "RUN --mount=type=cache,target=/tmp/gocache --mount=type=cache,target=/tmp/mod"},
	} {
		opts := lint.Options{Select: []string{"ST1009"}}
		res := lint.New(All(), opts).Lint(lint.NewSource("Dockerfile", []byte(tc.dockerfile)))
		found := false
		for _, d := range res.Diagnostics {
			if d.Code == "ST1009" {
				found = true
				if !strings.Contains(d.Help, tc.target) {
					t.Errorf("%q: help %q lacks %s", tc.dockerfile, d.Help, tc.target)
				}
			}
		}
		if !found {
			t.Errorf("%q: no ST1009", tc.dockerfile)
		}
	}
}
