package lint

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
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
		fmt.Fprintf(&b, "| Needs | the build context: `--context DIR`, or the Dockerfile's directory when it is a plausible context (a `.dockerignore`, a project marker, a file the Dockerfile copies, or other files for a `COPY . .`) |\n")
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
	writeContext(b, e.Context)
	fmt.Fprintf(b, "\n```dockerfile\n%s\n```\n", strings.TrimRight(e.Dockerfile, "\n"))
}

// writeContext lists an example's build context files (the .dockerignore
// first), with their contents when short, so that examples differing only
// in their context can be told apart.
func writeContext(b *strings.Builder, ctx map[string]string) {
	if len(ctx) == 0 {
		return
	}
	names := make([]string, 0, len(ctx))
	for name := range ctx {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == ".dockerignore") != (names[j] == ".dockerignore") {
			return names[i] == ".dockerignore"
		}
		return names[i] < names[j]
	})
	b.WriteString("\nBuild context:\n\n")
	for _, name := range names {
		body := ctx[name]
		text := strings.TrimRight(body, "\n")
		lines := strings.Split(text, "\n")
		switch {
		case body == "":
			fmt.Fprintf(b, "- `%s` (empty)\n", name)
		case !docsPrintable(text) || len(text) > 200 || len(lines) > 6:
			fmt.Fprintf(b, "- `%s` (%d bytes)\n", name, len(body))
		case len(lines) == 1 && len(text) <= 60 && !strings.Contains(text, "`"):
			fmt.Fprintf(b, "- `%s`: `%s`\n", name, text)
		default:
			fmt.Fprintf(b, "- `%s`:\n\n  ```text\n", name)
			for _, l := range lines {
				fmt.Fprintf(b, "  %s\n", l)
			}
			b.WriteString("  ```\n\n")
		}
	}
}

// docsPrintable reports whether a context file's text can be shown as is.
func docsPrintable(s string) bool {
	for _, r := range s {
		if r == '\t' || r == '\n' {
			continue
		}
		if r < ' ' || r == 0x7f || r == utf8.RuneError || strings.Contains(s, "```") {
			return false
		}
	}
	return true
}
