package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/rules"
)

// addCompletion adds `strata completion SHELL` to root and teaches the
// shells the values they cannot guess: rule codes for `strata rules`.
// Formats and thresholds are completed by the commands that own the flags.
func addCompletion(root *cobra.Command, a *app) {
	root.AddCommand(newCompletionCmd(a))
	for _, c := range root.Commands() {
		if c.Name() == "rules" && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = completeRuleCodes
		}
	}
}

func newCompletionCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell. Load it once per session, or install it
where the shell looks for completions:

  bash:        source <(strata completion bash)
               strata completion bash > /etc/bash_completion.d/strata
  zsh:         strata completion zsh > "${fpath[1]}/_strata"   (with compinit enabled)
  fish:        strata completion fish > ~/.config/fish/completions/strata.fish
  powershell:  strata completion powershell | Out-String | Invoke-Expression

Completions cover subcommands, flags, --format values, failure thresholds and rule codes.`,
		Example: `  source <(strata completion bash)
  strata completion zsh > ~/.zsh/completions/_strata
  strata completion fish > ~/.config/fish/completions/strata.fish`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), a.io.Out
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			default:
				return root.GenPowerShellCompletionWithDesc(out)
			}
		},
	}
	return cmd
}

// completeRuleCodes offers every rule code, with its summary.
func completeRuleCodes(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, r := range rules.All() {
		if strings.HasPrefix(strings.ToUpper(r.Code), strings.ToUpper(toComplete)) {
			out = append(out, r.Code+"\t"+r.Summary)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
