package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// fingerprints returns a stable identity for each diagnostic of a file, in
// order: a hash of the code, the path and the normalized text of the
// flagged lines, then ":N" for the N-th finding with that same hash. Line
// numbers are left out, so that editing other parts of the file keeps the
// identity, and CI systems (GitHub code scanning, GitLab Code Quality)
// match a finding across commits instead of reporting it as new.
func fingerprints(r FileResult) []string {
	out := make([]string, len(r.Diagnostics))
	seen := map[string]int{}
	for i, d := range r.Diagnostics {
		h := sha256.New()
		h.Write([]byte(d.Code))
		h.Write([]byte{0})
		h.Write([]byte(d.File))
		h.Write([]byte{0})
		h.Write([]byte(flaggedText(r.Source, d.Range)))
		sum := hex.EncodeToString(h.Sum(nil)[:16])
		seen[sum]++
		out[i] = sum + ":" + strconv.Itoa(seen[sum])
	}
	return out
}

// flaggedText is the text of the lines a range covers, with each line's
// surrounding blanks dropped and inner runs of blanks collapsed, so that
// re-indenting or converting line endings keeps a fingerprint.
func flaggedText(src *lint.Source, rg lint.Range) string {
	if src == nil || rg.Start.Line < 1 {
		return ""
	}
	last := max(rg.End.Line, rg.Start.Line)
	if rg.End.Line > rg.Start.Line && rg.End.Column == 1 {
		last-- // the range stops at the start of the next line
	}
	last = min(last, src.LineCount())
	var b strings.Builder
	for n := rg.Start.Line; n <= last; n++ {
		if n > rg.Start.Line {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Join(strings.Fields(src.Line(n)), " "))
	}
	return b.String()
}
