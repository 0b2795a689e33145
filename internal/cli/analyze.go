package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// newAnalyzeCmd is a placeholder until the analyzer lands.
func newAnalyzeCmd(_ *app) *cobra.Command {
	return &cobra.Command{
		Use:    "analyze SOURCE",
		Short:  "Analyze an image layer by layer",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return withCode(ExitError, errors.New("analyze is not implemented yet"))
		},
	}
}
