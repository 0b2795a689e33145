package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST1010 reports what a RUN leaves in /tmp.
var ST1010 = register(&lint.Rule{
	Code:     "ST1010",
	Name:     "tmp-left-behind",
	Summary:  "Delete what a RUN puts in /tmp before the RUN ends",
	Severity: lint.SeverityInfo,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports a RUN, in a stage that reaches the image, that puts files in `/tmp` or `/var/tmp` and does not " +
			"delete them before it ends: a download (`curl -o /tmp/...`, `wget -P /tmp`), a `git clone` into /tmp, an " +
			"archive unpacked there (`tar -C /tmp`, also streamed as in `curl ... | tar -xz -C /tmp`, `unzip -d /tmp`, or run from `cd /tmp`). An `rm` of the path or " +
			"of a directory above it, or an `mv` of it elsewhere, counts as deleting it; so does, for an unpacking directory whose contents' names " +
			"are not known, an `rm` or `mv` of anything under it; and so does a tmpfs or cache mount on /tmp. An " +
			"archive that is unpacked and kept is left to ST1003.",
		Why: "A container's /tmp is only a directory of the image: whatever a RUN leaves there is committed with the " +
			"layer and shipped. Source trees and build directories of software compiled from source are often larger " +
			"than what was installed from them.",
		Fix: "Delete it at the end of the same RUN (`&& rm -rf /tmp/build`), or give the RUN a scratch directory that " +
			"never reaches a layer: `RUN --mount=type=tmpfs,target=/tmp ...`.",
		Peers: "complements ST1003 (downloaded archives kept) and ST1001 (deleted in a later RUN).",
	},
	Examples: []lint.Example{
		{Title: "A source tree left in /tmp", Dockerfile: "FROM debian:12\nRUN git clone --depth 1 https://github.com/jqlang/jq /tmp/jq && cd /tmp/jq && make install\n", Want: []string{"2:5"}},
		{Title: "Cleaned up", Dockerfile: "FROM debian:12\nRUN git clone --depth 1 https://github.com/jqlang/jq /tmp/jq && cd /tmp/jq && make install && rm -rf /tmp/jq\n"},
		{Title: "A tmpfs mount", Dockerfile: "FROM debian:12\nRUN --mount=type=tmpfs,target=/tmp git clone --depth 1 https://github.com/jqlang/jq /tmp/jq && cd /tmp/jq && make install\n"},
	},
	Check: func(p *lint.Pass) {
		walkLayers(p.File, func(ins *lint.Instruction, _ *lint.Script, _ *layerState, rf *runFiles) {
			if !stageKept(p.File, ins) || mountedOver(ins, "/tmp/x") && mountedOver(ins, "/var/tmp/x") {
				return
			}
			for _, it := range tmpItems(rf) {
				if mountedOver(ins, it.path) || rf.removedBy(it.path, it.cmd.Index) || movedAway(rf, it.path, it.cmd.Index) ||
					it.unpacked && removedInside(rf, it.path, it.cmd.Index) {
					continue
				}
				p.Report(lint.Finding{
					At: ins, Range: it.cmd.Range(),
					Message: it.what + " `" + it.path + "` is left in " + tmpRoot(it.path) + ", which is part of the image",
					Help:    "delete it before the RUN ends (&& rm -rf " + it.path + "), or use RUN --mount=type=tmpfs,target=" + tmpRoot(it.path),
				})
				return
			}
		})
	},
})

// tmpItem is something a RUN writes under a temporary directory.
type tmpItem struct {
	cmd      *lint.Command
	path     string
	what     string
	unpacked bool // an unpacking directory: its contents' names are unknown
}

func tmpItems(rf *runFiles) []tmpItem {
	var out []tmpItem
	for _, d := range rf.downloads {
		if !inTmp(d.path) {
			continue
		}
		if packageFile(d.path) {
			if _, ok := extractionOf(rf, d.path, d.cmd.Index); ok {
				continue // ST1003's case
			}
		}
		what := "the download"
		if d.dir {
			what = "the clone"
		}
		out = append(out, tmpItem{cmd: d.cmd, path: d.path, what: what})
	}
	for _, x := range rf.extracts {
		if x.into != "" && (inTmp(x.into) || x.into == "/tmp" || x.into == "/var/tmp") {
			out = append(out, tmpItem{cmd: x.cmd, path: x.into, what: "what " + x.cmd.Name.Value + " unpacks into", unpacked: true})
		}
	}
	return out
}

func inTmp(p string) bool {
	return strings.HasPrefix(p, "/tmp/") || strings.HasPrefix(p, "/var/tmp/")
}

func tmpRoot(p string) string {
	if strings.HasPrefix(p, "/var/tmp") {
		return "/var/tmp"
	}
	return "/tmp"
}

// movedAway reports whether an mv after command index after takes p (or a
// directory holding it) elsewhere.
func movedAway(rf *runFiles, p string, after int) bool {
	for _, m := range rf.moves {
		if m.cmd.Index > after && covers(m.target, p) {
			return true
		}
	}
	return false
}

// removedInside reports whether the RUN removes anything under dir after
// command index after: the names an archive unpacks to are not known, so
// any clean-up there counts.
func removedInside(rf *runFiles, dir string, after int) bool {
	for _, list := range [][]pathOp{rf.removals, rf.moves} {
		for _, r := range list {
			if r.cmd.Index > after && (covers(r.target, dir) || strings.HasPrefix(r.target, dir+"/")) {
				return true
			}
		}
	}
	return false
}
