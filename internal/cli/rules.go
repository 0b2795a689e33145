package cli

import "github.com/spf13/cobra"

func newRulesCmd(_ *app) *cobra.Command {
	return &cobra.Command{Use: "rules [CODE]", Short: "List rules or show one rule's documentation"}
}
