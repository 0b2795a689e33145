package attribution

import (
	"fmt"
	"sort"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/lint"
)

// Waste kinds for wasted bytes that no lint rule covers, named after what
// the later instruction did to them.
const (
	KindDeleted     = "deleted-later"     // stored, then removed by a later layer
	KindChmod       = "chmod-later"       // re-added by a later chmod/chown for metadata only
	KindOverwritten = "overwritten-later" // replaced by different content
	KindDuplicate   = "re-added"          // added again with identical content
	KindBase        = "base-image"        // waste inside the base image itself
	KindUnknown     = "unattributed"      // layers the Dockerfile does not explain
)

var kindFix = map[string]string{
	KindDeleted:     "remove the files in the same RUN that creates them, or make them in a build stage and COPY --from only what is needed",
	KindChmod:       "set mode and owner as the files arrive: COPY --chmod=... --chown=..., or chmod in the RUN that creates them",
	KindOverwritten: "write the files once: merge the instructions, or produce them in a build stage",
	KindDuplicate:   "drop the second copy: the content is already in the image",
	KindBase:        "choose a base image that does not ship deleted or overwritten files (a slimmer or squashed base)",
}

// Join fills r.Attribution and each layer's and history entry's
// instruction from the mapping, and joins the lint findings (nil when lint
// did not run) with the image.
func Join(r *analyze.Result, m *Mapping, lr *lint.Result) {
	j := &joiner{r: r, m: m, lint: lr, rows: map[rowKey]*analyze.Saving{}}
	j.instructions()
	j.rules()
	j.caches()
	j.waste()
	j.findings()
	j.finish()
}

type joiner struct {
	r    *analyze.Result
	m    *Mapping
	lint *lint.Result
	// inst caches one analyze.Instruction per step.
	inst map[int]*analyze.Instruction
	// reported[step][code] is a lint finding of the rule on the step.
	reported map[int]map[string]bool
	// covered are the (layer, path) copies counted in a cache row.
	covered map[copyKey]rowKey
	rows    map[rowKey]*analyze.Saving
	out     analyze.Attribution
}

type copyKey struct {
	layer int
	path  analyze.PathID
}

type rowKey struct {
	label string // rule code or kind
	step  int    // -1: the FROM line
	by    int    // shadowing step, for waste kinds (-2: none)
	layer int
}

func (j *joiner) instruction(step int) *analyze.Instruction {
	if j.inst == nil {
		j.inst = map[int]*analyze.Instruction{}
	}
	if in, ok := j.inst[step]; ok {
		return in
	}
	var in *analyze.Instruction
	switch {
	case step >= 0:
		s := j.m.Chain.Steps[step]
		in = Instruction(s.Ins, s.Stage)
	case step == -1 && j.m.Chain.From != nil:
		in = Instruction(j.m.Chain.From, "")
		if st := j.m.Chain.From.Stage; st != nil {
			in.Stage = st.Name
		}
	}
	j.inst[step] = in
	return in
}

// instructions labels layers and history entries.
func (j *joiner) instructions() {
	for l := range j.r.Layers {
		if l < len(j.m.StepOfLayer) && j.m.StepOfLayer[l] >= 0 {
			j.r.Layers[l].Instruction = j.instruction(j.m.StepOfLayer[l])
		}
	}
	for i := range j.r.History {
		if i < len(j.m.StepOfHistory) && j.m.StepOfHistory[i] >= 0 {
			j.r.History[i].Instruction = j.instruction(j.m.StepOfHistory[i])
		}
	}
	j.out.Method = j.m.Method
	j.out.Dockerfile = j.m.Chain.File.Source.Path
	j.out.Unmatched = j.m.Unmatched
}

// stepAt is the chain step whose lines hold line, or -1.
func (j *joiner) stepAt(line int) int {
	for i, s := range j.m.Chain.Steps {
		in := j.instruction(i)
		if s.Ins != nil && line >= in.Line && line <= in.EndLine {
			return i
		}
	}
	return -1
}

// rules indexes the lint findings by the step they sit on.
func (j *joiner) rules() {
	j.reported = map[int]map[string]bool{}
	if j.lint == nil {
		return
	}
	for _, d := range j.lint.Diagnostics {
		s := j.stepAt(d.Range.Start.Line)
		if s < 0 {
			continue
		}
		if j.reported[s] == nil {
			j.reported[s] = map[string]bool{}
		}
		j.reported[s][d.Code] = true
	}
}

// ruleFor returns the rule code that covers cache c at step s: the one
// lint reported there, or, when lint did not run, the rule that applies.
func (j *joiner) ruleFor(c cache, s int) string {
	if c.Rule == "" {
		return ""
	}
	if j.lint == nil || j.reported[s][c.Rule] {
		return c.Rule
	}
	return ""
}

func (j *joiner) row(k rowKey, in *analyze.Instruction) *analyze.Saving {
	if row, ok := j.rows[k]; ok {
		return row
	}
	row := &analyze.Saving{Layer: k.layer}
	if in != nil {
		row.Instruction = *in
	}
	j.rows[k] = row
	return row
}

// caches counts, in every layer an instruction made, the package caches it
// stored: each is a saving whether it survives or a later layer deletes it.
func (j *joiner) caches() {
	j.covered = map[copyKey]rowKey{}
	memo := map[analyze.PathID]int{}
	for l := range j.r.Layers {
		s := j.m.Step(l)
		if s == nil || j.r.Layers[l].Base {
			continue
		}
		step := j.m.StepOfLayer[l]
		for _, e := range j.r.Layers[l].Entries {
			if e.Type != layer.File || e.Size == 0 {
				continue
			}
			c, ok := memo[e.Path]
			if !ok {
				c = cacheOf(j.r.Paths.String(e.Path))
				memo[e.Path] = c
			}
			if c < 0 {
				continue
			}
			rule := j.ruleFor(caches[c], step)
			label := rule
			if label == "" {
				label = caches[c].Label
			}
			k := rowKey{label: label, step: step, by: -2, layer: l}
			row := j.row(k, j.instruction(step))
			row.Rule, row.Kind, row.Fix = rule, caches[c].Label, caches[c].Fix
			row.Bytes += e.Size
			row.Files++
			j.covered[copyKey{l, e.Path}] = k
		}
	}
}

// waste gives every wasted copy an owner: the instruction that stored it,
// or, for bytes the base image stored, the instruction that shadowed them
// (the FROM line when the base image did both).
func (j *joiner) waste() {
	j.out.WastedBytes = j.r.Figures.Wasted
	j.out.Waste = make([]analyze.WasteOwner, len(j.r.Waste))
	for i, w := range j.r.Waste {
		if k, ok := j.covered[copyKey{w.StoredIn, w.Path}]; ok {
			row := j.rows[k]
			row.Wasted += w.Bytes
			j.own(i, w, k.step, row.Rule, row.Kind)
			continue
		}
		stored, by := j.stepOf(w.StoredIn), j.stepOf(w.ShadowedBy)
		owner, kind := stored, causeKind(w.Cause, j.textOf(by))
		switch {
		case j.r.Layers[w.StoredIn].Base && j.r.Layers[w.ShadowedBy].Base:
			owner, kind, by = -1, KindBase, -2
		case j.r.Layers[w.StoredIn].Base:
			owner = by
		}
		if owner == -3 || (owner == -1 && !j.m.Matched) {
			j.own(i, w, -3, "", KindUnknown)
			continue
		}
		rule := j.wasteRule(kind, stored, by)
		label := kind
		if rule != "" {
			label = rule
		}
		layer := w.StoredIn
		if kind == KindBase {
			layer = -1 // one row for the whole base image
		}
		k := rowKey{label: label, step: owner, by: by, layer: layer}
		row := j.row(k, j.instruction(owner))
		row.Rule, row.Kind, row.Fix = rule, kind, kindFix[kind]
		if by >= 0 && by != owner {
			row.ShadowedBy = j.instruction(by)
		}
		row.Bytes += w.Bytes
		row.Wasted += w.Bytes
		row.Files++
		j.own(i, w, owner, rule, kind)
	}
}

// stepOf is the step of layer l, -1 for base layers, -3 when unknown.
func (j *joiner) stepOf(l int) int {
	if j.r.Layers[l].Base {
		return -1
	}
	if l < len(j.m.StepOfLayer) && j.m.StepOfLayer[l] >= 0 {
		return j.m.StepOfLayer[l]
	}
	return -3
}

func (j *joiner) textOf(step int) string {
	if step < 0 {
		return ""
	}
	return j.m.Chain.Steps[step].text
}

func (j *joiner) own(i int, w analyze.Waste, step int, rule, kind string) {
	o := analyze.WasteOwner{Rule: rule, Kind: kind}
	if step >= -1 {
		o.Instruction = j.instruction(step)
	}
	j.out.Waste[i] = o
	if o.Instruction != nil {
		j.out.AttributedBytes += w.Bytes
		if rule != "" {
			j.out.RuleBytes += w.Bytes
		}
	}
}

// wasteRules are the lint rules whose fix removes a kind of waste, and
// where they report: on the instruction that stored the bytes, or on the
// one that shadowed them. DL3059 (consecutive RUNs) saves the waste only
// when the two RUNs are the storing and the shadowing one.
var wasteRules = map[string][]struct {
	code    string
	onStore bool
}{
	KindDeleted:     {{"ST1001", false}, {"DL3010", true}, {"DL3059", false}},
	KindChmod:       {{"ST1002", false}, {"DL3059", false}},
	KindOverwritten: {{"DL3059", false}},
}

// wasteRule is the rule lint reported that would have saved waste of this
// kind stored by step stored and shadowed by step by ("" for none).
func (j *joiner) wasteRule(kind string, stored, by int) string {
	for _, r := range wasteRules[kind] {
		at := by
		if r.onStore {
			at = stored
		}
		if at < 0 || !j.reported[at][r.code] {
			continue
		}
		if r.code == "DL3059" && (stored < 0 || by != stored+1 || j.m.Chain.Steps[stored].Kind != "RUN") {
			continue
		}
		return r.code
	}
	return ""
}

func causeKind(c analyze.Cause, byText string) string {
	switch c {
	case analyze.CauseDeleted:
		return KindDeleted
	case analyze.CauseMetadata:
		return KindChmod
	case analyze.CauseDuplicate:
		return KindDuplicate
	}
	if strings.Contains(byText, "chmod") || strings.Contains(byText, "chown") {
		return KindChmod
	}
	return KindOverwritten
}

// findings lists every lint diagnostic with the bytes it costs where it
// sits on an instruction that made a layer.
func (j *joiner) findings() {
	if j.lint == nil {
		return
	}
	type stepRule struct {
		step int
		code string
	}
	cost := map[stepRule]int64{}
	for k, row := range j.rows {
		if row.Rule != "" {
			cost[stepRule{k.step, row.Rule}] += row.Bytes
		}
	}
	for _, d := range j.lint.Diagnostics {
		f := analyze.LintFinding{File: d.File, Line: d.Range.Start.Line, Column: d.Range.Start.Column, EndLine: d.Range.End.Line,
			Code: d.Code, Severity: d.Severity.String(), Message: d.Message, Layer: -1}
		if s := j.stepAt(d.Range.Start.Line); s >= 0 {
			for l, st := range j.m.StepOfLayer {
				if st == s {
					f.Layer = l
				}
			}
			f.Bytes = cost[stepRule{s, d.Code}]
		}
		j.out.Lint = append(j.out.Lint, f)
	}
}

// finish orders the savings: most bytes first, then by line and label.
func (j *joiner) finish() {
	for _, row := range j.rows {
		if row.Bytes == 0 {
			continue
		}
		row.Message = savingMessage(row, j.r.Base.Layers)
		j.out.Savings = append(j.out.Savings, *row)
	}
	sort.Slice(j.out.Savings, func(a, b int) bool {
		x, y := j.out.Savings[a], j.out.Savings[b]
		if x.Bytes != y.Bytes {
			return x.Bytes > y.Bytes
		}
		if x.Instruction.Line != y.Instruction.Line {
			return x.Instruction.Line < y.Instruction.Line
		}
		return x.Rule+x.Kind < y.Rule+y.Kind
	})
	out := j.out
	j.r.Attribution = &out
}

// savingMessage says what a row costs, e.g. "DL3009 line 3: apt lists left
// in layer 2: 45.1 MB" or "line 4: stored in layer 4, deleted by line 6:
// 3.0 MB".
func savingMessage(s *analyze.Saving, baseLayers int) string {
	head := "line " + fmt.Sprint(s.Instruction.Line)
	if s.Rule != "" {
		head = s.Rule + " " + head
	}
	layerText := fmt.Sprintf("layer %d", s.Layer+1)
	var what string
	switch {
	case s.Kind == KindBase:
		what = "the base image stores files it deletes or overwrites itself"
	case s.Layer >= 0 && s.Layer < baseLayers && s.ShadowedBy == nil:
		what = fmt.Sprintf("%s base-image files (%s)", map[string]string{KindDeleted: "deletes", KindChmod: "re-adds for a chmod/chown",
			KindDuplicate: "re-adds", KindOverwritten: "overwrites"}[s.Kind], layerText)
	case s.ShadowedBy != nil:
		what = fmt.Sprintf("stored in %s, %s by line %d", layerText, map[string]string{KindDeleted: "deleted", KindChmod: "copied again for a chmod/chown",
			KindDuplicate: "added again", KindOverwritten: "overwritten"}[s.Kind], s.ShadowedBy.Line)
	case s.Wasted > 0 && s.Wasted == s.Bytes:
		what = s.Kind + " stored in " + layerText + ", deleted later"
	default:
		what = s.Kind + " left in " + layerText
	}
	return fmt.Sprintf("%s: %s: %s", head, what, sizeText(s.Bytes))
}

// sizeText formats bytes in decimal units, as the reports do.
func sizeText(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"kB", "MB", "GB", "TB"}
	f := float64(n)
	i := -1
	for f >= 1000 && i < len(units)-1 {
		f /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}
