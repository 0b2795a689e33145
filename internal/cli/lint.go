package cli

import "github.com/spf13/cobra"

func newLintCmd(_ *app) *cobra.Command {
	return &cobra.Command{Use: "lint [PATH...]", Short: "Lint Dockerfiles"}
}
