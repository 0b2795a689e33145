// Package report renders an analysis (and gate results) as a table, JSON
// or Markdown. Renderers write to the io.Writer they are given and nothing
// else.
package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/gate"
)

// jsonBiggestFiles is how many of the largest files JSON lists at least
// (every file is in the layers' entries anyway).
const jsonBiggestFiles = 100

// SchemaVersion is the version of the JSON report; it changes only when a
// field changes meaning or disappears (adding fields keeps it).
const SchemaVersion = 1

// Options shape every format.
type Options struct {
	// Top bounds the biggest-files and waste lists of table and Markdown.
	Top int
	// Entries adds each layer's entries to the JSON report.
	Entries bool
	// Gates are the CI gate results, nil when --ci was not given.
	Gates []gate.Result
}

type jsonReport struct {
	SchemaVersion int         `json:"schemaVersion"`
	Image         jsonImage   `json:"image"`
	Base          jsonBase    `json:"base"`
	Summary       jsonSummary `json:"summary"`
	Dive          jsonDive    `json:"dive"`
	Layers        []jsonLayer `json:"layers"`
	History       []jsonHist  `json:"history"`
	BiggestFiles  []jsonFile  `json:"biggestFiles"`
	Waste         []jsonWaste `json:"waste"`
	Findings      []jsonFind  `json:"findings"`
	Gates         *jsonGates  `json:"gates"`
	Warnings      []string    `json:"warnings"`
	// Attribution is present with --build and --dockerfile only.
	Attribution *jsonAttribution `json:"attribution,omitempty"`
}

type jsonImage struct {
	Source      string            `json:"source"`
	Transport   string            `json:"transport"`
	Name        string            `json:"name,omitempty"`
	Digest      string            `json:"digest,omitempty"`
	MediaType   string            `json:"mediaType,omitempty"`
	Platform    string            `json:"platform,omitempty"`
	Created     *time.Time        `json:"created,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type jsonBase struct {
	Layers int    `json:"layers"`
	Source string `json:"source"`
	Image  string `json:"image,omitempty"`
}

type jsonSummary struct {
	Layers            int              `json:"layers"`
	BaseLayers        int              `json:"baseLayers"`
	TotalSize         int64            `json:"totalSize"`
	UserSize          int64            `json:"userSize"`
	BlobSize          int64            `json:"blobSize"`
	FinalSize         int64            `json:"finalSize"`
	FinalFiles        int              `json:"finalFiles"`
	WastedBytes       int64            `json:"wastedBytes"`
	UserWastedBytes   int64            `json:"userWastedBytes"`
	WastedByCause     map[string]int64 `json:"wastedByCause"`
	Efficiency        float64          `json:"efficiency"`
	UserWastedPercent float64          `json:"userWastedPercent"`
}

type jsonDive struct {
	Efficiency        float64  `json:"efficiency"`
	WastedBytes       uint64   `json:"wastedBytes"`
	UserSizeBytes     uint64   `json:"userSizeBytes"`
	UserWastedPercent *float64 `json:"userWastedPercent"`
	// UserWastedPercentText is what dive prints ("NaN %" included).
	UserWastedPercentText string `json:"userWastedPercentText"`
}

type jsonCount struct {
	Count int   `json:"count"`
	Bytes int64 `json:"bytes"`
}

type jsonLayer struct {
	Layer       int         `json:"layer"`
	Digest      string      `json:"digest,omitempty"`
	DiffID      string      `json:"diffID,omitempty"`
	MediaType   string      `json:"mediaType,omitempty"`
	Compression string      `json:"compression"`
	BlobSize    int64       `json:"blobSize"`
	Size        int64       `json:"size"`
	Files       int         `json:"files"`
	Added       jsonCount   `json:"added"`
	Modified    jsonCount   `json:"modified"`
	Attrs       jsonCount   `json:"attrs"`
	Same        jsonCount   `json:"same"`
	Deleted     jsonCount   `json:"deleted"`
	WastedBytes int64       `json:"wastedBytes"`
	Base        bool        `json:"base"`
	Verified    bool        `json:"verified"`
	Skimmed     bool        `json:"skimmed"`
	CreatedBy   string      `json:"createdBy,omitempty"`
	Instruction *jsonInstr  `json:"instruction,omitempty"`
	Entries     []jsonEntry `json:"entries,omitempty"`
}

type jsonEntry struct {
	Path   string `json:"path"`
	Type   string `json:"type"`
	Change string `json:"change"`
	Size   int64  `json:"size"`
	Mode   string `json:"mode,omitempty"`
	UID    int    `json:"uid"`
	GID    int    `json:"gid"`
	Link   string `json:"link,omitempty"`
	Until  int    `json:"removedBy,omitempty"`
}

type jsonHist struct {
	Created     *time.Time `json:"created,omitempty"`
	CreatedBy   string     `json:"createdBy"`
	Comment     string     `json:"comment,omitempty"`
	EmptyLayer  bool       `json:"emptyLayer"`
	Layer       int        `json:"layer,omitempty"`
	Instruction *jsonInstr `json:"instruction,omitempty"`
}

type jsonFile struct {
	Path  string `json:"path"`
	Size  int64  `json:"size"`
	Layer int    `json:"layer"`
}

type jsonWaste struct {
	Path       string `json:"path"`
	Bytes      int64  `json:"bytes"`
	Cause      string `json:"cause"`
	StoredIn   int    `json:"storedIn"`
	ShadowedBy int    `json:"shadowedBy"`
}

type jsonFind struct {
	Kind      string `json:"kind"`
	Severity  string `json:"severity"`
	Path      string `json:"path"`
	Layer     int    `json:"layer"`
	DeletedBy int    `json:"deletedBy,omitempty"`
	Bytes     int64  `json:"bytes"`
	Files     int    `json:"files"`
	Message   string `json:"message"`
	Base      bool   `json:"base"`
}

type jsonGates struct {
	Passed  bool       `json:"passed"`
	Results []jsonGate `json:"results"`
}

type jsonGate struct {
	Name   string `json:"name"`
	From   string `json:"from"`
	Limit  string `json:"limit"`
	Actual string `json:"actual"`
	Result string `json:"result"`
	Detail string `json:"detail,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// JSON writes the versioned JSON report (docs/analyze.md documents it).
// The layers' entries (a million on a million-file image, some 200 bytes
// of JSON each) are written one by one as they are encoded, never held
// as a whole; the rest is laid out exactly as encoding/json indents the
// jsonReport value.
func JSON(w io.Writer, r *analyze.Result, o Options) error {
	rep := jsonReportOf(r, o)
	jw := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	jw.enc = json.NewEncoder(&jw.buf)
	jw.str("{\n")
	jw.field("schemaVersion", rep.SchemaVersion, true)
	jw.field("image", rep.Image, true)
	jw.field("base", rep.Base, true)
	jw.field("summary", rep.Summary, true)
	jw.field("dive", rep.Dive, true)
	jw.str(`  "layers": `)
	if len(rep.Layers) == 0 {
		jw.str("[]")
	} else {
		jw.str("[\n")
		for i := range rep.Layers {
			jw.str("    ")
			jw.layer(&rep.Layers[i], r, &r.Layers[i], o.Entries)
			if i < len(rep.Layers)-1 {
				jw.str(",")
			}
			jw.str("\n")
		}
		jw.str("  ]")
	}
	jw.str(",\n")
	jw.field("history", rep.History, true)
	jw.field("biggestFiles", rep.BiggestFiles, true)
	jw.field("waste", rep.Waste, true)
	jw.field("findings", rep.Findings, true)
	jw.field("gates", rep.Gates, true)
	jw.field("warnings", rep.Warnings, rep.Attribution != nil)
	if rep.Attribution != nil {
		jw.field("attribution", rep.Attribution, false)
	}
	jw.str("}\n")
	if jw.err != nil {
		return jw.err
	}
	return jw.w.Flush()
}

// jsonReportOf is the report without the layers' entries.
func jsonReportOf(r *analyze.Result, o Options) jsonReport {
	rep := jsonReport{SchemaVersion: SchemaVersion,
		Image: jsonImage{r.Image.Source, r.Image.Transport, r.Image.Name, r.Image.Digest, r.Image.MediaType,
			r.Image.Platform, timePtr(r.Image.Created), r.Image.Annotations},
		Base:     jsonBase{r.Base.Layers, r.Base.Source, r.Base.Image},
		Warnings: append([]string{}, r.Warnings...)}
	f := r.Figures
	rep.Summary = jsonSummary{f.Layers, f.BaseLayers, f.TotalSize, f.UserSize, f.BlobSize, f.FinalSize, f.FinalFiles,
		f.Wasted, f.UserWasted, map[string]int64{}, round(f.Efficiency), round(f.UserWastedPercent)}
	for c, n := range f.ByCause {
		rep.Summary.WastedByCause[string(c)] = n
	}
	d := r.Dive
	rep.Dive = jsonDive{Efficiency: d.Efficiency, WastedBytes: d.WastedBytes, UserSizeBytes: d.UserSizeBytes,
		UserWastedPercentText: DivePercent(d.UserWastedPercent)}
	if !math.IsNaN(d.UserWastedPercent) && !math.IsInf(d.UserWastedPercent, 0) {
		v := d.UserWastedPercent
		rep.Dive.UserWastedPercent = &v
	}
	rep.Layers = []jsonLayer{}
	for _, l := range r.Layers {
		jl := jsonLayer{Layer: l.Index + 1, Digest: l.Digest, DiffID: l.DiffID, MediaType: l.MediaType, Compression: l.Compression,
			BlobSize: l.BlobSize, Size: l.Size, Files: l.Files, Added: cnt(l.Added), Modified: cnt(l.Modified), Attrs: cnt(l.Attrs),
			Same: cnt(l.Same), Deleted: cnt(l.Deleted), WastedBytes: l.Wasted, Base: l.Base, Verified: l.Verified, Skimmed: l.Skimmed}
		if l.History != nil {
			jl.CreatedBy = l.History.CreatedBy
		}
		jl.Instruction = instr(l.Instruction)
		rep.Layers = append(rep.Layers, jl)
	}
	rep.History = []jsonHist{}
	for _, h := range r.History {
		rep.History = append(rep.History, jsonHist{timePtr(h.Created), h.CreatedBy, h.Comment, h.EmptyLayer, h.Layer + 1, instr(h.Instruction)})
	}
	rep.BiggestFiles = []jsonFile{}
	for _, bf := range BiggestFiles(r, max(o.Top, jsonBiggestFiles)) {
		rep.BiggestFiles = append(rep.BiggestFiles, jsonFile{r.Paths.String(bf.Path), bf.Size, bf.Layer + 1})
	}
	rep.Waste = []jsonWaste{}
	for _, ws := range r.Waste {
		rep.Waste = append(rep.Waste, jsonWaste{r.Paths.String(ws.Path), ws.Bytes, string(ws.Cause), ws.StoredIn + 1, ws.ShadowedBy + 1})
	}
	rep.Findings = []jsonFind{}
	for _, fd := range r.Findings {
		jf := jsonFind{string(fd.Kind), string(fd.Severity), r.Paths.String(fd.Path), fd.Layer + 1, 0, fd.Bytes, fd.Files, fd.Message, fd.Base}
		if fd.Kind == analyze.KindDeleted {
			jf.DeletedBy = fd.DeletedBy + 1
		}
		rep.Findings = append(rep.Findings, jf)
	}
	if o.Gates != nil {
		g := &jsonGates{Passed: gate.Passed(o.Gates), Results: []jsonGate{}}
		for _, gr := range o.Gates {
			g.Results = append(g.Results, jsonGate{gr.Name, gr.From, gr.Limit, gr.Actual, gr.Status(), gr.Detail})
		}
		rep.Gates = g
	}
	rep.Attribution = attributionJSON(r)
	return rep
}

// entryJSON is one entry of a layer as the report shows it.
func entryJSON(r *analyze.Result, e *analyze.Entry) jsonEntry {
	je := jsonEntry{Path: r.Paths.String(e.Path), Type: e.Type.String(), Change: e.Change.String(), Size: e.Size,
		UID: int(e.UID), GID: int(e.GID), Link: e.Link}
	if e.Change != analyze.Deleted {
		je.Mode = modeString(e.Mode)
	}
	if e.Until != analyze.Forever {
		je.Until = int(e.Until) + 1
	}
	return je
}

// jsonStream writes an indented JSON document piece by piece; the first
// error sticks.
type jsonStream struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func (j *jsonStream) str(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v as encoding/json indents it at the depth prefix gives.
func (j *jsonStream) value(v any, prefix string) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	j.enc.SetIndent(prefix, "  ")
	if j.err = j.enc.Encode(v); j.err == nil {
		_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
	}
}

// field writes a member of the top-level object.
func (j *jsonStream) field(name string, v any, more bool) {
	j.str(`  "` + name + `": `)
	j.value(v, "  ")
	if more {
		j.str(",")
	}
	j.str("\n")
}

// layer writes one element of "layers", its entries streamed after the
// other members (entries is jsonLayer's last field; omitted when empty).
func (j *jsonStream) layer(jl *jsonLayer, r *analyze.Result, l *analyze.Layer, entries bool) {
	if !entries || len(l.Entries) == 0 {
		j.value(jl, "    ")
		return
	}
	if j.err != nil {
		return
	}
	j.buf.Reset()
	j.enc.SetIndent("    ", "  ")
	if j.err = j.enc.Encode(jl); j.err != nil {
		return
	}
	// The object without its closing "\n    }\n", then the entries.
	head, ok := bytes.CutSuffix(j.buf.Bytes(), []byte("\n    }\n"))
	if !ok {
		j.err = fmt.Errorf("internal error: layer %d does not end as an indented object", jl.Layer)
		return
	}
	if _, j.err = j.w.Write(head); j.err != nil {
		return
	}
	j.str(",\n      \"entries\": [\n")
	for i := range l.Entries {
		j.str("        ")
		je := entryJSON(r, &l.Entries[i])
		j.value(&je, "        ")
		if i < len(l.Entries)-1 {
			j.str(",")
		}
		j.str("\n")
	}
	j.str("      ]\n    }")
}

func cnt(c analyze.Count) jsonCount { return jsonCount{c.N, c.Bytes} }

// round keeps ratios stable across platforms in golden files.
func round(f float64) float64 { return math.Round(f*1e6) / 1e6 }
