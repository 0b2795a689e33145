package attribution

import (
	"strings"
	"unicode"
)

// HistoryEntry is one entry of an image config's history.
type HistoryEntry struct {
	CreatedBy  string
	EmptyLayer bool
}

// Mapping pairs history entries, and so layers, with the chain's steps.
type Mapping struct {
	Chain *Chain
	// Method is "buildkit", "docker" or "history".
	Method string
	// StepOfHistory[i] is the step that made history entry i, -1 for none
	// (the base image's entries, and entries no step claims).
	StepOfHistory []int
	// StepOfLayer[l] is the step that made layer l, -1 for none.
	StepOfLayer []int
	// BaseLayers is how many leading layers the base image gave: those
	// made before the first step's history entry.
	BaseLayers int
	// Matched is false when no step matched any history entry: then
	// nothing is known and BaseLayers is meaningless.
	Matched bool
	// Unmatched counts layers after the base that no step claims.
	Unmatched int
}

// Step returns the step that made layer l, or nil.
func (m *Mapping) Step(l int) *Step {
	if m == nil || l < 0 || l >= len(m.StepOfLayer) || m.StepOfLayer[l] < 0 {
		return nil
	}
	return &m.Chain.Steps[m.StepOfLayer[l]]
}

// Alignment scores: a matched pair scores between matchBase and 1 by the
// similarity of its text; leaving a history entry or a step unpaired
// inside the aligned part costs gap. A pair of the right kind with
// unrelated text still beats two gaps, so that an ENV whose value was
// expanded still pairs with its line.
const (
	matchBase = 0.5
	gap       = 0.6
)

// Match aligns the chain's steps with the tail of the history: the base
// image's entries come first and are skipped for free; after the first
// pair every unpaired entry or step costs. Layers are counted as the OCI
// spec says, one per entry that is not an empty layer.
func Match(c *Chain, hist []HistoryEntry, layers int, method string) *Mapping {
	n, m := len(hist), len(c.Steps)
	hk := make([]historyKey, n)
	for i, h := range hist {
		hk[i] = parseHistory(h.CreatedBy)
	}
	sk := make([][]string, m)
	for j, s := range c.Steps {
		sk[j] = words(s.text)
	}
	sim := func(i, j int) float64 {
		if !compatible(hk[i].kind, c.Steps[j].Kind) {
			return -1
		}
		return matchBase + (1-matchBase)*dice(hk[i].words, sk[j])
	}
	// best[i][j]: the best score aligning hist[i:] with steps[j:], the
	// alignment already started.
	best := make([][]float64, n+1)
	for i := range best {
		best[i] = make([]float64, m+1)
	}
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			switch {
			case i == n:
				best[i][j] = -gap * float64(m-j)
			case j == m:
				best[i][j] = -gap * float64(n-i)
			default:
				v := max(best[i+1][j]-gap, best[i][j+1]-gap)
				if s := sim(i, j); s >= 0 {
					v = max(v, s+best[i+1][j+1])
				}
				best[i][j] = v
			}
		}
	}
	start := 0
	for k := 1; k <= n; k++ {
		if best[k][0] > best[start][0] {
			start = k
		}
	}
	mp := &Mapping{Chain: c, Method: method, StepOfHistory: make([]int, n), StepOfLayer: make([]int, layers)}
	for i := range mp.StepOfHistory {
		mp.StepOfHistory[i] = -1
	}
	for l := range mp.StepOfLayer {
		mp.StepOfLayer[l] = -1
	}
	for i, j := start, 0; i < n && j < m; {
		if s := sim(i, j); s >= 0 && best[i][j] == s+best[i+1][j+1] {
			mp.StepOfHistory[i] = j
			i, j = i+1, j+1
		} else if best[i][j] == best[i+1][j]-gap {
			i++
		} else {
			j++
		}
	}
	// A credible alignment pairs most steps: a real build records every
	// instruction but FROM (and ONBUILD). Fewer pairs mean the image was
	// not built from this Dockerfile.
	paired := 0
	for _, s := range mp.StepOfHistory {
		if s >= 0 {
			paired++
		}
	}
	if paired == 0 || 2*paired < m {
		for i := range mp.StepOfHistory {
			mp.StepOfHistory[i] = -1
		}
		return mp
	}
	first := -1
	l := 0
	for i, h := range hist {
		if mp.StepOfHistory[i] >= 0 && first < 0 {
			first = i
			mp.BaseLayers = l
			mp.Matched = true
		}
		if h.EmptyLayer {
			continue
		}
		if l < layers {
			mp.StepOfLayer[l] = mp.StepOfHistory[i]
			if first >= 0 && mp.StepOfHistory[i] < 0 {
				mp.Unmatched++
			}
		}
		l++
	}
	return mp
}

// historyKey is a history entry read back into an instruction keyword and
// the words of its arguments.
type historyKey struct {
	kind  string
	words []string
}

var keywords = map[string]bool{"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true,
	"EXPOSE": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true, "ONBUILD": true, "RUN": true,
	"SHELL": true, "STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true}

// parseHistory reads the created_by forms of BuildKit ("RUN /bin/sh -c
// make # buildkit", "COPY a /b # buildkit", "ENV A=1"), the classic
// builder and buildah ("/bin/sh -c #(nop)  CMD [\"x\"]", "|2 A=1 B=2
// /bin/sh -c make", "/bin/sh -c #(nop) COPY file:4f2c... in /b"), and
// exec-form RUNs (the bare command). Anything else counts as a RUN.
func parseHistory(createdBy string) historyKey {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSpace(strings.TrimSuffix(s, "# buildkit"))
	if kw, rest := firstWord(s); keywords[kw] {
		if kw == "RUN" {
			rest = stripShell(stripBuildArgs(rest))
		}
		return historyKey{kind: kw, words: words(rest)}
	}
	s = stripBuildArgs(s)
	if rest, ok := cutShell(s); ok {
		if nop, ok := strings.CutPrefix(strings.TrimSpace(rest), "#(nop)"); ok {
			kw, args := firstWord(strings.TrimSpace(nop))
			kw = strings.ToUpper(kw)
			if keywords[kw] {
				return historyKey{kind: kw, words: words(strings.Replace(args, " in ", " ", 1))}
			}
			return historyKey{kind: "NOP", words: words(nop)}
		}
		return historyKey{kind: "RUN", words: words(rest)}
	}
	return historyKey{kind: "RUN", words: words(s)}
}

// compatible reports whether a history entry of kind h can come from a
// step of kind s.
func compatible(h, s string) bool {
	switch h {
	case s:
		return true
	case "ADD", "COPY":
		return s == "ADD" || s == "COPY" // buildah records ADD for both
	}
	return false
}

func firstWord(s string) (string, string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// stripBuildArgs removes the "|N K=V ..." prefix that build arguments put
// before a RUN's command.
func stripBuildArgs(s string) string {
	if !strings.HasPrefix(s, "|") {
		return s
	}
	first, rest := firstWord(s)
	n := 0
	for _, r := range first[1:] {
		if r < '0' || r > '9' {
			return s
		}
		n = n*10 + int(r-'0')
	}
	for ; n > 0 && rest != ""; n-- {
		_, rest = firstWord(rest)
	}
	return rest
}

func cutShell(s string) (string, bool) {
	for _, p := range []string{"/bin/sh -c ", "/bin/bash -c ", "cmd /S /C ", "powershell -Command "} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

func stripShell(s string) string {
	rest, _ := cutShell(s)
	return rest
}

// words splits text into comparable words: runs of letters, digits and
// the punctuation of paths and options, so that quoting, JSON brackets
// and line continuations do not matter.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("/._-=:@+%$~", r))
	})
}

// dice is the Sørensen–Dice coefficient of two bags of words.
func dice(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	count := make(map[string]int, len(a))
	for _, w := range a {
		count[w]++
	}
	common := 0
	for _, w := range b {
		if count[w] > 0 {
			count[w]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
