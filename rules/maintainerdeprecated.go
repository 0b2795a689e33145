package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// MaintainerDeprecated reports the MAINTAINER instruction.
var MaintainerDeprecated = register(&lint.Rule{
	Code:     "MaintainerDeprecated",
	Name:     "maintainer-deprecated",
	Summary:  "MAINTAINER is deprecated: set the `org.opencontainers.image.authors` label instead",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixUnsafe,
	Docs: lint.Docs{
		What: "Reports every `MAINTAINER` instruction." + bkStops,
		Why: "`MAINTAINER` has been deprecated since Docker 1.13: it fills the image's legacy `Author` field, which " +
			"registries and tools no longer show. The OCI annotation `org.opencontainers.image.authors` is where " +
			"they look.",
		Fix: "Replace it with a label:\n\n```dockerfile\nLABEL org.opencontainers.image.authors=\"jane@example.com\"\n```\n\n" +
			"The fix does this; it is marked unsafe because the image's `Author` field is no longer set.",
		Peers: "hadolint DL4000.",
	},
	Examples: []lint.Example{
		{Title: "MAINTAINER", Dockerfile: "FROM alpine:3.20\nMAINTAINER jane@example.com\n", Want: []string{"2:1"}},
		{Title: "A label", Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"jane@example.com\"\n"},
	},
	Check: checkBuildKit,
})

// maintainerDeprecated is BuildKit's check on a MAINTAINER instruction i.
func (s *bkSim) maintainerDeprecated(i int, ins *lint.Instruction) {
	who := strings.TrimSpace(ins.Text[textAfterKeyword(ins):])
	label := "LABEL org.opencontainers.image.authors=" + dockerfileQuote(who, s.f.Escape)
	f := bkFinding{
		rule: "MaintainerDeprecated", ins: i, rng: ins.Range(),
		msg:  "MAINTAINER is deprecated",
		help: "use " + label,
	}
	if ins.StartLine == ins.EndLine && who != "" {
		f.fix = &lint.Fix{Title: "replace with " + label, Edits: []lint.Edit{{Range: ins.Range(), NewText: label}}}
	}
	s.add(f, ins.Node.PrevComment)
}

// dockerfileQuote double-quotes a value so that a key=value instruction
// reads it back literally.
func dockerfileQuote(v string, esc rune) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		if r == '"' || r == '$' || r == esc {
			b.WriteRune(esc)
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
