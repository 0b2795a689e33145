package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/lint"
	"github.com/strata-dev/strata/rules"
)

// shellCheckCode is one of ShellCheck's check codes (SC2086).
var shellCheckCode = regexp.MustCompile(`^(?i:sc)[0-9]{4}$`)

func newRulesCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules [CODE]",
		Short: "List the rules, or print one rule's documentation",
		Example: `  strata rules
  strata rules --format json
  strata rules DL3008`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErrorf("unknown format %q (want text or json)", format)
			}
			if len(args) == 1 {
				r := rules.Lookup(args[0])
				sc := ""
				if r == nil && shellCheckCode.MatchString(args[0]) {
					// One of ShellCheck's own checks: the family's page,
					// and where ShellCheck documents this one.
					r, sc = lint.ShellCheckRule, strings.ToUpper(args[0])
				}
				if r == nil {
					return usageErrorf("no rule %q (strata rules lists them)", args[0])
				}
				if format == "json" {
					j := ruleJSON(r, true)
					if sc != "" {
						j["code"], j["url"] = sc, "https://www.shellcheck.net/wiki/"+sc
					}
					return writeJSON(a, j)
				}
				if sc != "" {
					fmt.Fprintf(a.io.Out, "%s is a ShellCheck check, documented at https://www.shellcheck.net/wiki/%s.\nstrata reports it under the ShellCheck family:\n\n", sc, sc)
				}
				_, err := fmt.Fprint(a.io.Out, lint.RuleMarkdown(r))
				return err
			}
			all := rules.All()
			if format == "json" {
				var out []map[string]any
				for _, r := range all {
					out = append(out, ruleJSON(r, false))
				}
				return writeJSON(a, out)
			}
			tw := tabwriter.NewWriter(a.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tNAME\tSEVERITY\tSTATUS\tSUMMARY")
			for _, r := range all {
				sev := r.Severity.String()
				if r.DefaultOff || r.Experimental {
					sev += " (off)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Code, r.Name, sev, r.Status, r.Summary)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func ruleJSON(r *lint.Rule, full bool) map[string]any {
	m := map[string]any{
		"code": r.Code, "name": r.Name, "severity": r.Severity.String(), "summary": r.Summary,
		"origin": string(r.Origin), "status": string(r.Status), "since": r.Since, "url": r.URL(),
		"enabled_by_default": !r.DefaultOff && !r.Experimental && r.Status == lint.StatusStable,
		"fix":                string(r.Fix),
	}
	if full {
		m["docs"] = strings.TrimSpace(lint.RuleMarkdown(r))
	}
	return m
}

func writeJSON(a *app, v any) error {
	enc := json.NewEncoder(a.io.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
