package lint

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// Stage is one build stage: a FROM and the instructions up to the next.
type Stage struct {
	Index int
	// Name is the stage alias, lower-cased as BuildKit does ("" if none).
	Name string
	// From is the FROM instruction.
	From *Instruction
	// Base is the base image reference as written (variables unexpanded).
	Base string
	// Platform is the --platform value as written.
	Platform string
	// Instructions are those after FROM, up to the next FROM.
	Instructions []*Instruction
	// Parent is the earlier stage this one is built FROM, if any.
	Parent *Stage
}

// Ancestors returns the stage and the chain of stages it is built from,
// nearest first.
func (s *Stage) Ancestors() []*Stage {
	var out []*Stage
	seen := map[*Stage]bool{}
	for st := s; st != nil && !seen[st]; st = st.Parent {
		seen[st] = true
		out = append(out, st)
	}
	return out
}

func (f *File) buildStages() {
	var cur *Stage
	for _, ins := range f.Instructions {
		if ins.Kind != "from" {
			if cur != nil {
				ins.Stage = cur
				if ins.OnBuild != nil {
					ins.OnBuild.Stage = cur
				}
				cur.Instructions = append(cur.Instructions, ins)
			}
			continue
		}
		cur = &Stage{Index: len(f.Stages), From: ins}
		ins.Stage = cur
		if st, ok := ins.Command.(*instructions.Stage); ok {
			cur.Name, cur.Base, cur.Platform = st.Name, st.BaseName, st.Platform
		} else {
			if len(ins.Args) > 0 {
				cur.Base = ins.Args[0].Value
			}
			if len(ins.Args) == 3 && strings.EqualFold(ins.Args[1].Value, "as") {
				cur.Name = strings.ToLower(ins.Args[2].Value)
			}
			if fl, ok := ins.Flag("platform"); ok {
				cur.Platform = fl.Value
			}
		}
		if cur.Base != "" {
			for _, prev := range f.Stages {
				if prev.Name != "" && strings.EqualFold(prev.Name, cur.Base) {
					cur.Parent = prev
				}
			}
		}
		f.Stages = append(f.Stages, cur)
	}
}
