package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// DL3048 reports label keys that do not follow Docker's key format.
var DL3048 = register(&lint.Rule{
	Code:     "DL3048",
	Name:     "invalid-label-key",
	Summary:  "Label keys should be lower-case, dotted names outside Docker's namespaces",
	Severity: lint.SeverityStyle,
	Origin:   lint.OriginHadolint,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a `LABEL` key that does not follow Docker's recommended format: it must start with a " +
			"lower-case letter, end with a lower-case letter or a digit, contain only lower-case letters, digits, " +
			"`.`, `-`, `_` and `/`, have no `..` or `--`, and stay out of the namespaces Docker reserves " +
			"(`com.docker.`, `io.docker.`, `org.dockerproject.`).",
		Why: "Tools that read labels (registries, scanners, orchestrators) match keys exactly: `Maintainer` and " +
			"`maintainer` are different labels, and keys in Docker's namespaces may be overwritten or " +
			"misread by Docker itself.",
		Fix: "Use reverse-DNS keys in lower case, preferably the OCI ones: `LABEL org.opencontainers.image.source=" +
			"\"https://github.com/acme/app\"`.",
	},
	Examples: []lint.Example{
		{Title: "Upper case", Dockerfile: "FROM alpine:3.20\nLABEL Maintainer=\"jane@example.com\"\n", Want: []string{"2:7"}},
		{Title: "A reserved namespace", Dockerfile: "FROM alpine:3.20\nLABEL version=1 com.docker.extension=x\n", Want: []string{"2:17"}},
		{Title: "Valid keys", Dockerfile: "FROM alpine:3.20\nLABEL org.opencontainers.image.title=\"demo\" version=\"1.0\"\n"},
	},
	Check: func(p *lint.Pass) {
		eachLabel(p.File, func(ins *lint.Instruction, pairs []keyValue) {
			for _, kv := range pairs {
				if why := labelKeyProblem(kv.Key); why != "" {
					p.Report(lint.Finding{
						At: ins, Range: kv.KeyRange,
						Message: "label key `" + kv.Key + "` " + why,
						Help:    "use a lower-case reverse-DNS key such as org.opencontainers.image.title",
					})
					return // one per LABEL, as hadolint
				}
			}
		})
	},
})

// labelKeyProblem says what is wrong with a label key ("" if nothing).
func labelKeyProblem(k string) string {
	if k == "" {
		return "is empty"
	}
	for _, ns := range []string{"com.docker.", "io.docker.", "org.dockerproject."} {
		if strings.HasPrefix(k, ns) {
			return "is in the " + strings.TrimSuffix(ns, ".") + " namespace, which Docker reserves"
		}
	}
	if strings.ToLower(k) != k && strings.Trim(strings.ToLower(k), "abcdefghijklmnopqrstuvwxyz0123456789._/-") == "" {
		return "has upper-case letters"
	}
	for _, r := range k {
		if !isLowerOrDigit(r) && !strings.ContainsRune("._/-", r) {
			return "contains `" + string(r) + "`; use only lower-case letters, digits, `.`, `-`, `_` and `/`"
		}
	}
	if c := k[0]; c < 'a' || c > 'z' {
		return "must start with a lower-case letter"
	}
	if !isLowerOrDigit(rune(k[len(k)-1])) {
		return "must end with a lower-case letter or a digit"
	}
	if strings.Contains(k, "..") || strings.Contains(k, "--") {
		return "has consecutive separators (`..` or `--`)"
	}
	return ""
}

func isLowerOrDigit(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
