package tui

import (
	"context"
	"fmt"

	"github.com/strata-dev/strata/analyze"
)

// Input is everything the explorer shows: the analyzer's result, plus what
// a build integration knows about each layer (the Dockerfile instruction
// and line that made it) and lint findings. The CLI fills it from
// `strata analyze` alone today; attribution of layers to Dockerfile lines
// adds Layers and lint Findings without any change to the TUI.
type Input struct {
	Result *analyze.Result
	// Dockerfile names the file that Layers and lint findings refer to,
	// "" when unknown.
	Dockerfile string
	// Layers annotates Result.Layers by index; it may be shorter than
	// Result.Layers or nil (nothing known).
	Layers []LayerNote
	// Findings are listed in the findings view, each linked to its layer.
	Findings []Finding
}

// LayerNote is what attribution knows about one layer.
type LayerNote struct {
	// Instruction is the Dockerfile instruction as written, on one line
	// ("RUN apt-get update && apt-get install -y curl"); the layers pane
	// shows it instead of the history's created-by when set.
	Instruction string
	// Line and EndLine are the 1-based lines of the instruction in the
	// Dockerfile (0 when unknown; EndLine 0 means Line).
	Line, EndLine int
	// Stage is the build stage's name or index ("build", "1"), optional.
	Stage string
}

// Finding is a lint finding or an image finding, linked to a layer.
type Finding struct {
	// Source is "lint" for Dockerfile findings, "image" for the analyzer's.
	Source string
	// Code is the rule code (DL3008, StageNameCasing) or the image
	// finding's kind (secret, cache).
	Code string
	// Severity is lint's (error, warning, info, style) or the analyzer's
	// (high, medium, low, info); both orders are understood.
	Severity string
	Message  string
	// Path is the file in the image the finding is about, "" if none.
	Path string
	// Line is the Dockerfile line, 0 if none.
	Line int
	// Layer is the 0-based layer the finding belongs to, -1 when no layer
	// is known (a lint finding on an instruction that made no layer).
	Layer int
	// Also lists other layers involved (the layer that deleted the bytes
	// of a deleted-content finding), optional.
	Also []int
	// Bytes involved, 0 when not about bytes.
	Bytes int64
	// Base is set for findings that come from base-image layers only.
	Base bool
}

// severityRank orders both vocabularies, most severe first.
func severityRank(s string) int {
	switch s {
	case "error", "high":
		return 0
	case "warning", "medium":
		return 1
	case "low":
		return 2
	case "info":
		return 3
	}
	return 4 // style, unknown
}

// FromResult is the input for an image analyzed without a Dockerfile: the
// image findings, and no layer notes.
func FromResult(r *analyze.Result) *Input {
	return &Input{Result: r, Findings: ImageFindings(r)}
}

// ImageFindings converts the analyzer's findings.
func ImageFindings(r *analyze.Result) []Finding {
	out := make([]Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		tf := Finding{Source: "image", Code: string(f.Kind), Severity: string(f.Severity), Message: f.Message,
			Path: r.Paths.String(f.Path), Layer: f.Layer, Bytes: f.Bytes, Base: f.Base}
		if f.DeletedBy > f.Layer {
			tf.Also = []int{f.DeletedBy}
		}
		out = append(out, tf)
	}
	return out
}

// Progress reports what a Loader is doing, for the loading view.
type Progress struct {
	// Stage is what happens now, in a few words ("opening the image").
	Stage string
	// Layer (0-based) of Layers is being read: Bytes of Total (-1: unknown)
	// blob bytes so far; Done when it is read. Layers is 0 before the
	// image's manifest is known.
	Layer, Layers int
	Digest        string
	Bytes, Total  int64
	Done          bool
	// Stream is the bytes read from a streamed source (docker save on
	// standard input, the daemon) before its layers are known.
	Stream int64
}

// Loader opens and analyzes the image. It runs in a tea.Cmd, reports
// progress (from any goroutine) and stops when ctx is cancelled.
type Loader func(ctx context.Context, progress func(Progress)) (*Input, error)

func (in *Input) note(layer int) LayerNote {
	if layer >= 0 && layer < len(in.Layers) {
		return in.Layers[layer]
	}
	return LayerNote{}
}

// where is the Dockerfile reference of a layer ("Dockerfile:12"), "" when
// unknown.
func (in *Input) where(layer int) string {
	n := in.note(layer)
	if n.Line <= 0 {
		return ""
	}
	file := in.Dockerfile
	if file == "" {
		file = "Dockerfile"
	}
	if n.EndLine > n.Line {
		return fmt.Sprintf("%s:%d-%d", file, n.Line, n.EndLine)
	}
	return fmt.Sprintf("%s:%d", file, n.Line)
}
