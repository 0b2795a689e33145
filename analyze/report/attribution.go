package report

import (
	"fmt"
	"strconv"

	"github.com/strata-dev/strata/analyze"
)

// savingsSections are the tables that lead the report of a build (or of an
// image matched with its Dockerfile): what each rule or instruction costs,
// and the lint findings with their bytes.
func savingsSections(r *analyze.Result, o Options) []section {
	at := r.Attribution
	if at == nil {
		return nil
	}
	top := o.Top
	if top <= 0 {
		top = 10
	}
	sv := section{title: "Savings", header: []string{"rule", "line", "bytes", "what", "how to fix"}}
	var total int64
	for i, s := range at.Savings {
		total += s.Bytes
		if i == 2*top {
			sv.note = fmt.Sprintf("%d more (see --format json)", len(at.Savings)-i)
			continue
		}
		if i > 2*top {
			continue
		}
		rule := s.Rule
		if rule == "" {
			rule = "(" + s.Kind + ")"
		}
		sv.rows = append(sv.rows, []string{rule, lineText(s.Instruction), Size(s.Bytes), clip(s.Message, 90), s.Fix})
	}
	share := "no waste"
	if at.WastedBytes > 0 {
		share = fmt.Sprintf("%s of %s wasted tied to a line (%s), %s to a lint rule (%s)",
			Size(at.AttributedBytes), Size(at.WastedBytes), Percent(float64(at.AttributedBytes)/float64(at.WastedBytes)),
			Size(at.RuleBytes), Percent(float64(at.RuleBytes)/float64(at.WastedBytes)))
	}
	if sv.note != "" {
		sv.note += "; "
	}
	sv.note += fmt.Sprintf("%s to save in all; %s", Size(total), share)
	out := []section{sv}

	if len(at.Lint) > 0 {
		ls := section{title: "Lint findings", header: []string{"line", "code", "severity", "layer", "bytes", "message"}}
		for i, f := range at.Lint {
			if i == 3*top {
				ls.note = fmt.Sprintf("%d more (see --format json)", len(at.Lint)-i)
				break
			}
			layer, bytes := "", ""
			if f.Layer >= 0 {
				layer = strconv.Itoa(f.Layer + 1)
			}
			if f.Bytes > 0 {
				bytes = Size(f.Bytes)
			}
			ls.rows = append(ls.rows, []string{strconv.Itoa(f.Line), f.Code, f.Severity, layer, bytes, clip(f.Message, 80)})
		}
		out = append(out, ls)
	}
	return out
}

// buildSection reports the build's timings: strata's overhead is the
// total less the build.
func buildSection(r *analyze.Result) []section {
	if r.Attribution == nil || r.Attribution.Build == nil {
		return nil
	}
	b := r.Attribution.Build
	s := section{title: "Build", header: []string{"figure", "value"}}
	s.rows = [][]string{
		{"builder", b.Builder + " " + b.Address},
		{"dockerfile", r.Attribution.Dockerfile},
		{"layers tied to lines by", r.Attribution.Method},
		{"build", fmt.Sprintf("%.2f s", b.BuildSeconds)},
		{"lint", fmt.Sprintf("%.2f s", b.LintSeconds)},
		{"total", fmt.Sprintf("%.2f s (strata's own: %.2f s)", b.TotalSeconds, b.TotalSeconds-b.BuildSeconds)},
	}
	return []section{s}
}

// lineText is "Dockerfile:3" or "3-5" for a range, with the stage when
// there are several.
func lineText(in analyze.Instruction) string {
	if in.Line == 0 {
		return ""
	}
	s := strconv.Itoa(in.Line)
	if in.EndLine > in.Line {
		s += "-" + strconv.Itoa(in.EndLine)
	}
	return s
}

// instructionCell is what the layers table shows for a layer made by a
// known instruction.
func instructionCell(in *analyze.Instruction) string {
	if in == nil {
		return ""
	}
	return lineText(*in) + ": " + in.Text
}

type jsonInstr struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	EndLine int    `json:"end_line"`
	Text    string `json:"text"`
	Stage   string `json:"stage,omitempty"`
}

type jsonAttribution struct {
	Dockerfile      string        `json:"dockerfile"`
	Target          string        `json:"target,omitempty"`
	Method          string        `json:"method"`
	UnmatchedLayers int           `json:"unmatchedLayers"`
	WastedBytes     int64         `json:"wastedBytes"`
	AttributedBytes int64         `json:"attributedBytes"`
	RuleBytes       int64         `json:"ruleBytes"`
	Savings         []jsonSaving  `json:"savings"`
	Lint            []jsonLint    `json:"lint"`
	Waste           []jsonOwner   `json:"waste"`
	Build           *jsonBuildRun `json:"build,omitempty"`
}

type jsonSaving struct {
	Rule        string     `json:"rule,omitempty"`
	Kind        string     `json:"kind"`
	Instruction jsonInstr  `json:"instruction"`
	ShadowedBy  *jsonInstr `json:"shadowedBy,omitempty"`
	Layer       int        `json:"layer,omitempty"`
	Bytes       int64      `json:"bytes"`
	Wasted      int64      `json:"wastedBytes"`
	Files       int        `json:"files"`
	Message     string     `json:"message"`
	Fix         string     `json:"fix"`
}

type jsonLint struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	EndLine  int    `json:"end_line"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Layer    int    `json:"layer,omitempty"`
	Bytes    int64  `json:"bytes"`
}

// jsonOwner parallels the top-level waste list, entry for entry.
type jsonOwner struct {
	Line int    `json:"line,omitempty"`
	Rule string `json:"rule,omitempty"`
	Kind string `json:"kind"`
}

type jsonBuildRun struct {
	Builder      string  `json:"builder"`
	Address      string  `json:"address,omitempty"`
	Context      string  `json:"context"`
	BuildSeconds float64 `json:"buildSeconds"`
	LintSeconds  float64 `json:"lintSeconds"`
	TotalSeconds float64 `json:"totalSeconds"`
}

func instr(in *analyze.Instruction) *jsonInstr {
	if in == nil {
		return nil
	}
	return &jsonInstr{in.File, in.Line, in.EndLine, in.Text, in.Stage}
}

func attributionJSON(r *analyze.Result) *jsonAttribution {
	at := r.Attribution
	if at == nil {
		return nil
	}
	j := &jsonAttribution{Dockerfile: at.Dockerfile, Target: at.Target, Method: at.Method, UnmatchedLayers: at.Unmatched,
		WastedBytes: at.WastedBytes, AttributedBytes: at.AttributedBytes, RuleBytes: at.RuleBytes,
		Savings: []jsonSaving{}, Lint: []jsonLint{}, Waste: []jsonOwner{}}
	for _, s := range at.Savings {
		js := jsonSaving{Rule: s.Rule, Kind: s.Kind, Instruction: *instr(&s.Instruction), ShadowedBy: instr(s.ShadowedBy),
			Bytes: s.Bytes, Wasted: s.Wasted, Files: s.Files, Message: s.Message, Fix: s.Fix}
		if s.Layer >= 0 {
			js.Layer = s.Layer + 1
		}
		j.Savings = append(j.Savings, js)
	}
	for _, f := range at.Lint {
		jl := jsonLint{f.File, f.Line, f.Column, f.EndLine, f.Code, f.Severity, f.Message, 0, f.Bytes}
		if f.Layer >= 0 {
			jl.Layer = f.Layer + 1
		}
		j.Lint = append(j.Lint, jl)
	}
	for _, w := range at.Waste {
		o := jsonOwner{Rule: w.Rule, Kind: w.Kind}
		if w.Instruction != nil {
			o.Line = w.Instruction.Line
		}
		j.Waste = append(j.Waste, o)
	}
	if b := at.Build; b != nil {
		j.Build = &jsonBuildRun{b.Builder, b.Address, b.Context, round3(b.BuildSeconds), round3(b.LintSeconds), round3(b.TotalSeconds)}
	}
	return j
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }
