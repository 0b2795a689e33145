package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/gate"
)

// section is one titled table of a text report.
type section struct {
	title  string
	header []string
	rows   [][]string
	note   string
}

// sections builds what table and Markdown both show.
func sections(r *analyze.Result, o Options) []section {
	top := o.Top
	if top <= 0 {
		top = 10
	}
	out := savingsSections(r, o)
	layers := section{title: "Layers", header: []string{"#", "base", "size", "blob", "files", "+", "~", "-", "wasted", "created by"}}
	for _, l := range r.Layers {
		by := ""
		if l.History != nil {
			by = l.History.CreatedBy
		}
		if l.Instruction != nil {
			by = instructionCell(l.Instruction)
		}
		base := ""
		if l.Base {
			base = "yes"
		}
		layers.rows = append(layers.rows, []string{strconv.Itoa(l.Index + 1), base, Size(l.Size), Size(l.BlobSize),
			strconv.Itoa(l.Files), strconv.Itoa(l.Added.N), strconv.Itoa(l.Modified.N + l.Attrs.N + l.Same.N),
			strconv.Itoa(l.Deleted.N), Size(l.Wasted), clip(by, 60)})
	}
	out = append(out, layers)

	big := section{title: "Biggest files", header: []string{"size", "layer", "path"}}
	for _, f := range BiggestFiles(r, top) {
		big.rows = append(big.rows, []string{Size(f.Size), strconv.Itoa(f.Layer + 1), r.Paths.String(f.Path)})
	}
	out = append(out, big)

	waste := section{title: "Waste by cause", header: []string{"cause", "bytes", "copies"}}
	copies := map[analyze.Cause]int{}
	for _, w := range r.Waste {
		copies[w.Cause]++
	}
	for _, c := range analyze.Causes {
		waste.rows = append(waste.rows, []string{string(c), Size(r.Figures.ByCause[c]), strconv.Itoa(copies[c])})
	}
	out = append(out, waste)
	if len(r.Waste) > 0 {
		ws := section{title: "Biggest wasted copies", header: []string{"bytes", "cause", "stored in", "shadowed by", "path"}}
		for i, w := range r.Waste {
			if i == top {
				ws.note = fmt.Sprintf("%d more", len(r.Waste)-top)
				break
			}
			ws.rows = append(ws.rows, []string{Size(w.Bytes), string(w.Cause), strconv.Itoa(w.StoredIn + 1), strconv.Itoa(w.ShadowedBy + 1), r.Paths.String(w.Path)})
		}
		out = append(out, ws)
	}

	find := section{title: "Findings", header: []string{"severity", "kind", "layer", "bytes", "path", "detail"}}
	for i, f := range r.Findings {
		if i == 3*top {
			find.note = fmt.Sprintf("%d more (see --format json)", len(r.Findings)-i)
			break
		}
		layer := strconv.Itoa(f.Layer + 1)
		if f.Base {
			layer += " (base)"
		}
		find.rows = append(find.rows, []string{string(f.Severity), string(f.Kind), layer, Size(f.Bytes), r.Paths.String(f.Path), f.Message})
	}
	out = append(out, find)

	f, d := r.Figures, r.Dive
	sum := section{title: "Summary", header: []string{"figure", "strata", "dive 0.13"}}
	sum.rows = [][]string{
		{"image", r.Image.Source, ""},
		{"layers", fmt.Sprintf("%d (%d base, from %s)", f.Layers, f.BaseLayers, r.Base.Source), ""},
		{"total size", Size(f.TotalSize), ""},
		{"final file system", fmt.Sprintf("%s in %d entries", Size(f.FinalSize), f.FinalFiles), ""},
		{"user size", Size(f.UserSize), Size(int64(d.UserSizeBytes))},
		{"wasted", Size(f.Wasted), Size(int64(d.WastedBytes))},
		{"efficiency", Percent(f.Efficiency), DivePercent(d.Efficiency)},
		{"user wasted", Percent(f.UserWastedPercent), DivePercent(d.UserWastedPercent)},
	}
	out = append(out, sum)
	out = append(out, buildSection(r)...)
	if o.Gates != nil {
		out = append(out, gateSection(o.Gates))
	}
	return out
}

func gateSection(gs []gate.Result) section {
	s := section{title: "CI gates", header: []string{"result", "gate", "from", "limit", "actual", "detail"}}
	for _, g := range gs {
		s.rows = append(s.rows, []string{g.Status(), g.Name, g.From, g.Limit, g.Actual, g.Detail})
	}
	if gate.Passed(gs) {
		s.note = "PASS"
	} else {
		s.note = "FAIL"
	}
	return s
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// Table writes the human report with tablewriter.
func Table(w io.Writer, r *analyze.Result, o Options) error {
	for i, s := range sections(r, o) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, s.title)
		if err := render(w, s, renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)})); err != nil {
			return err
		}
		if s.note != "" {
			fmt.Fprintln(w, s.note)
		}
	}
	return warnings(w, r, "")
}

// Markdown writes the report for pull-request comments.
func Markdown(w io.Writer, r *analyze.Result, o Options) error {
	fmt.Fprintf(w, "## strata analyze: `%s`\n", r.Image.Source)
	for _, s := range sections(r, o) {
		fmt.Fprintf(w, "\n### %s\n\n", s.title)
		if len(s.rows) == 0 {
			fmt.Fprintln(w, "_none_")
		} else if err := render(w, escapePipes(s), renderer.NewMarkdown()); err != nil {
			return err
		}
		if s.note != "" {
			fmt.Fprintf(w, "\n**%s**\n", s.note)
		}
	}
	return warnings(w, r, "\n### Warnings\n\n")
}

func render(w io.Writer, s section, rend tw.Renderer) error {
	t := tablewriter.NewTable(w, tablewriter.WithRenderer(rend), tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone), tablewriter.WithHeaderAlignment(tw.AlignLeft), tablewriter.WithRowAlignment(tw.AlignLeft))
	t.Header(s.header)
	if err := t.Bulk(s.rows); err != nil {
		return err
	}
	return t.Render()
}

func warnings(w io.Writer, r *analyze.Result, heading string) error {
	if len(r.Warnings) == 0 {
		return nil
	}
	if heading == "" {
		heading = "\nWarnings\n"
	}
	fmt.Fprint(w, heading)
	for _, m := range r.Warnings {
		fmt.Fprintf(w, "- %s\n", m)
	}
	return nil
}

// escapePipes keeps cell text (a RUN line with a pipe) from splitting
// Markdown table cells.
func escapePipes(s section) section {
	rows := make([][]string, len(s.rows))
	for i, row := range s.rows {
		rows[i] = make([]string, len(row))
		for j, c := range row {
			rows[i][j] = strings.ReplaceAll(c, "|", `\|`)
		}
	}
	s.rows = rows
	return s
}
