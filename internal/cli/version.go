package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at link time by builds that know them (the
// Dockerfile, release builds):
//
//	-ldflags "-X github.com/strata-dev/strata/internal/cli.version=v1.2.3 -X github.com/strata-dev/strata/internal/cli.commit=abc1234"
//
// Left empty, they come from the module build info: the module version
// for `go install github.com/strata-dev/strata/cmd/strata@v1.2.3`, the VCS
// revision for a build in a git checkout.
var (
	version = ""
	commit  = ""
)

// buildInfo is what `strata version` reports.
type buildInfo struct {
	Version    string `json:"version"`
	Commit     string `json:"commit,omitempty"`
	CommitTime string `json:"commit_time,omitempty"`
	Modified   bool   `json:"modified,omitempty"`
	Module     string `json:"module,omitempty"`
	GoVersion  string `json:"go_version"`
	Platform   string `json:"platform"`
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		b.Module = info.Main.Path
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				b.CommitTime = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	return b
}

// versionString is strata's version, as reports record it.
func versionString() string { return readBuildInfo().Version }

func newVersionCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print strata's version and build information",
		Long: `Print strata's version, the commit it was built from, and the Go version and
platform of the build.`,
		Example: `  strata version
  strata version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := readBuildInfo()
			switch format {
			case "json":
				enc := json.NewEncoder(a.io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			case "text", "":
			default:
				return usageErrorf("unknown format %q (want text or json)", format)
			}
			out := a.io.Out
			fmt.Fprintf(out, "strata %s\n", b.Version)
			if b.Commit != "" {
				modified := ""
				if b.Modified {
					modified = " (modified)"
				}
				fmt.Fprintf(out, "commit:    %s%s\n", b.Commit, modified)
			}
			if b.CommitTime != "" {
				fmt.Fprintf(out, "committed: %s\n", b.CommitTime)
			}
			fmt.Fprintf(out, "go:        %s\n", b.GoVersion)
			fmt.Fprintf(out, "platform:  %s\n", b.Platform)
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
