package lint

import (
	"fmt"
	"strings"
)

// RuleMarkdown renders a rule's documentation page.
func RuleMarkdown(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", r.Code, r.Name)
	fmt.Fprintf(&b, "%s\n\n", r.Summary)
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Severity | %s |\n", r.Severity)
	fmt.Fprintf(&b, "| Source | %s |\n", r.Origin)
	status := string(r.Status)
	if r.DefaultOff || r.Experimental {
		status += ", off by default (enable with `--select " + r.Code + "` or a severity override)"
	}
	fmt.Fprintf(&b, "| Status | %s (since %s) |\n", status, r.Since)
	fix := "no"
	if r.Fix != FixNone {
		fix = string(r.Fix)
	}
	fmt.Fprintf(&b, "| Fix | %s |\n", fix)
	if r.NeedsContext {
		fmt.Fprintf(&b, "| Needs | the build context: `--context DIR`, or the Dockerfile's directory when it is a plausible context (a `.dockerignore`, a project marker or a file the Dockerfile copies) |\n")
	}
	b.WriteString("\n## What it does\n\n" + strings.TrimSpace(r.Docs.What) + "\n")
	b.WriteString("\n## Why is this bad?\n\n" + strings.TrimSpace(r.Docs.Why) + "\n")
	var bad, good []Example
	for _, e := range r.Examples {
		if len(e.Want) > 0 {
			bad = append(bad, e)
		} else {
			good = append(good, e)
		}
	}
	if len(bad) > 0 {
		b.WriteString("\n## Example\n")
		for _, e := range bad {
			writeExample(&b, e)
		}
	}
	if len(good) > 0 {
		b.WriteString("\nUse instead:\n")
		for _, e := range good {
			writeExample(&b, e)
		}
	}
	b.WriteString("\n## How to fix\n\n" + strings.TrimSpace(r.Docs.Fix) + "\n")
	if r.Docs.Differences != "" {
		b.WriteString("\n## Differences from " + differencesFrom(r) + "\n\n" + strings.TrimSpace(r.Docs.Differences) + "\n")
	}
	if r.Docs.Peers != "" {
		b.WriteString("\n## Equivalent rules in other tools\n\n" + strings.TrimSpace(r.Docs.Peers) + "\n")
	}
	b.WriteString("\n## Suppressing it\n\n")
	fmt.Fprintf(&b, "On one instruction: `# strata: ignore=%s <reason>` (or `# hadolint ignore=%s`) on the line above. "+
		"Everywhere: `ignored: [%s]` in `.strata.yaml`, or `--ignore %s`.\n", r.Code, r.Code, r.Code, r.Code)
	return b.String()
}

func differencesFrom(r *Rule) string {
	switch r.Origin {
	case OriginBuildKit:
		return "BuildKit"
	case OriginShellCheck:
		return "ShellCheck"
	}
	return "hadolint"
}

func writeExample(b *strings.Builder, e Example) {
	if e.Title != "" {
		fmt.Fprintf(b, "\n%s:\n", e.Title)
	}
	if e.Config != "" {
		fmt.Fprintf(b, "\n```yaml\n# .strata.yaml\n%s\n```\n", strings.TrimRight(e.Config, "\n"))
	}
	fmt.Fprintf(b, "\n```dockerfile\n%s\n```\n", strings.TrimRight(e.Dockerfile, "\n"))
}
