package rules

import (
	"net"
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ExposeProtoCasing reports EXPOSE protocols that are not lower case.
var ExposeProtoCasing = register(&lint.Rule{
	Code:     "ExposeProtoCasing",
	Name:     "expose-proto-casing",
	Summary:  "Write the EXPOSE protocol in lower case: `80/tcp`",
	Severity: lint.SeverityWarning,
	Origin:   lint.OriginBuildKit,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Fix:      lint.FixSafe,
	Docs: lint.Docs{
		What: "Reports an `EXPOSE` port whose protocol has upper-case letters (`8080/TCP`)." + bkStops,
		Why:  "The protocol is stored lower-cased in the image anyway; writing `TCP` only makes the Dockerfile disagree with what the image says, and with every other tool's spelling.",
		Fix:  "Write the protocol in lower case: `EXPOSE 8080/tcp` (the fix does).",
	},
	Examples: []lint.Example{
		{Title: "Upper-case protocol", Dockerfile: "FROM nginx:1.27\nEXPOSE 80/TCP\n", Want: []string{"2:8"}},
		{Title: "Lower case", Dockerfile: "FROM nginx:1.27\nEXPOSE 80/tcp 53/udp\n"},
	},
	Check: checkBuildKit,
})

// exposePort is BuildKit's parsePort on one expanded EXPOSE port, with its
// two checks; false when BuildKit rejects the port.
func (s *bkSim) exposePort(c bkCmd, raw string) bool {
	ip, hostPort, containerPort := splitPortParts(raw)
	port, proto, _ := strings.Cut(containerPort, "/")
	if port == "" {
		return false
	}
	switch strings.ToLower(proto) {
	case "", "tcp", "udp", "sctp":
	default:
		return false
	}
	if proto != strings.ToLower(proto) {
		s.exposeProtoCasing(c, raw, proto)
	}
	if ip != "" || hostPort != "" {
		s.exposeInvalidFormat(c, raw, containerPort)
	}
	if ip != "" && ip[0] == '[' {
		h, _, err := net.SplitHostPort(ip + ":")
		if err != nil {
			return false
		}
		ip = h
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return false
	}
	start, end, ok := portRange(port)
	if !ok {
		return false
	}
	if hostPort != "" {
		hs, he, ok := portRange(hostPort)
		if !ok || (end-start != he-hs && end != start) {
			return false
		}
	}
	return true
}

func (s *bkSim) exposeProtoCasing(c bkCmd, raw, proto string) {
	f := bkFinding{
		rule: "ExposeProtoCasing", ins: c.ins, rng: s.cmdRange(c, func(ins *lint.Instruction) lint.Range { return argRange(ins, raw) }),
		msg:  "protocol " + proto + " in EXPOSE " + raw + " should be lower case" + s.triggerNote(c),
		help: "write " + strings.TrimSuffix(raw, proto) + strings.ToLower(proto),
	}
	if r, ok := findWord(c.src, raw, 0); ok && !c.trigger {
		pr := lint.Range{Start: r.End, End: r.End}
		pr.Start.Offset -= len(proto)
		pr.Start.Column -= len([]rune(proto))
		f.fix = &lint.Fix{Title: "write " + strings.ToLower(proto), Edits: []lint.Edit{{Range: pr, NewText: strings.ToLower(proto)}}}
	}
	s.add(f, c.comments)
}

// splitPortParts splits [ip:]hostPort:containerPort.
func splitPortParts(raw string) (ip, hostPort, containerPort string) {
	parts := strings.Split(raw, ":")
	switch n := len(parts); n {
	case 1:
		return "", "", parts[0]
	case 2:
		return "", parts[0], parts[1]
	case 3:
		return parts[0], parts[1], parts[2]
	default:
		return strings.Join(parts[:n-2], ":"), parts[n-2], parts[n-1]
	}
}

// portRange parses "8000" or "8000-9000".
func portRange(s string) (start, end int, ok bool) {
	if s == "" {
		return 0, 0, false
	}
	a, b, isRange := strings.Cut(s, "-")
	start, ok = portNumber(a)
	if !ok {
		return 0, 0, false
	}
	if !isRange || a == b {
		return start, start, true
	}
	end, ok = portNumber(b)
	if !ok || end < start {
		return 0, 0, false
	}
	return start, end, true
}

func portNumber(s string) (int, bool) {
	n, err := strconv.ParseInt(s, 10, 0)
	return int(n), err == nil && n >= 0 && n <= 65535
}
