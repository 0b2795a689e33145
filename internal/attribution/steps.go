// Package attribution ties an image's layers and wasted bytes to the
// Dockerfile instructions that made them and to the lint rules that would
// have saved them.
//
// It works in two steps. Match pairs the image config's history with the
// instructions of the built stage (and the stages it is built FROM), which
// gives every layer its instruction and the number of base layers. Join
// then reads the analysis and the lint findings: each finding on an
// instruction that made a layer gets the bytes it costs there, and each
// wasted copy gets an owner (an instruction, and a rule where one applies).
package attribution

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/lint"
)

// Step is one instruction of the built stage chain, in build order.
type Step struct {
	Ins *lint.Instruction
	// Kind is the upper-case keyword ("RUN").
	Kind string
	// Stage is the stage's name or index.
	Stage string
	// text is what history matching compares: the arguments, heredoc
	// bodies included.
	text string
}

// Chain is the stages a target is built from, root first, and their
// instructions after each FROM.
type Chain struct {
	File  *lint.File
	Steps []Step
	// From is the root stage's FROM: the base image (or scratch) whose
	// layers start the image.
	From *lint.Instruction
	// Base is the root stage's base image as written ("scratch" included).
	Base string
}

// NewChain returns the chain of stages that builds target ("" for the
// last stage).
func NewChain(f *lint.File, target string) (*Chain, error) {
	if len(f.Stages) == 0 {
		return nil, fmt.Errorf("%s has no FROM instruction", f.Source.Path)
	}
	st := f.FinalStage()
	if target != "" {
		st = f.StageByName(target)
		if st == nil {
			if n, err := strconv.Atoi(target); err == nil && n >= 0 && n < len(f.Stages) {
				st = f.Stages[n]
			} else {
				return nil, fmt.Errorf("%s has no stage %q", f.Source.Path, target)
			}
		}
	}
	stages := st.Ancestors()
	c := &Chain{File: f}
	for i := len(stages) - 1; i >= 0; i-- {
		s := stages[i]
		name := s.Name
		if name == "" {
			name = strconv.Itoa(s.Index)
		}
		if i == len(stages)-1 {
			c.From, c.Base = s.From, s.Base
		}
		for _, ins := range s.Instructions {
			c.Steps = append(c.Steps, Step{Ins: ins, Kind: strings.ToUpper(ins.Kind), Stage: name, text: stepText(ins)})
		}
	}
	return c, nil
}

// stepText is the instruction's arguments, with heredoc bodies, as one
// line of words.
func stepText(ins *lint.Instruction) string {
	var b strings.Builder
	for _, a := range ins.Args {
		b.WriteString(a.Value)
		b.WriteByte(' ')
	}
	for _, h := range ins.Heredocs {
		b.WriteString(h.Content)
		b.WriteByte(' ')
	}
	return b.String()
}

// Instruction describes ins as the analysis reports it.
func Instruction(ins *lint.Instruction, stage string) *analyze.Instruction {
	end := ins.EndLine
	if n := len(ins.Heredocs); n > 0 {
		end = ins.Heredocs[n-1].LastLine
	}
	return &analyze.Instruction{File: ins.File.Source.Path, Line: ins.StartLine, EndLine: max(end, ins.StartLine),
		Text: strings.TrimSpace(ins.Text), Stage: stage}
}
