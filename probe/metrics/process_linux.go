package metrics

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
)

// The process's series, as client_golang's process collector exports them
// on Linux (collectors.NewProcessCollector, through procfs): the same
// names, help, types and sources in /proc/self. A file that cannot be
// read leaves its series out and counts a gathering error, as the client
// did.

// userHZ is the unit of /proc's times (procfs assumes it too).
const userHZ = 100

func processFamilies() ([]out, int) {
	var fams []out
	errs := 0
	one := func(name, typ, help string, v float64) {
		fams = append(fams, out{name: name, typ: typ, help: help, samples: []sample{{v: v}}})
	}
	if st, err := procStat(); err == nil {
		one("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", float64(st.utime+st.stime)/userHZ)
		one("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", float64(st.vsize))
		one("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", float64(st.rss*int64(os.Getpagesize())))
		if boot, err := bootTime(); err == nil {
			one("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", float64(boot)+float64(st.starttime)/userHZ)
		} else {
			errs++
		}
	} else {
		errs++
	}
	if n, err := openFDs(); err == nil {
		one("process_open_fds", "gauge", "Number of open file descriptors.", float64(n))
	} else {
		errs++
	}
	if files, space, err := limits(); err == nil {
		one("process_max_fds", "gauge", "Maximum number of open file descriptors.", float64(files))
		one("process_virtual_memory_max_bytes", "gauge", "Maximum amount of virtual memory available in bytes.", float64(space))
	} else {
		errs++
	}
	if in, outb, err := netOctets(); err == nil {
		one("process_network_receive_bytes_total", "counter", "Number of bytes received by the process over the network.", in)
		one("process_network_transmit_bytes_total", "counter", "Number of bytes sent by the process over the network.", outb)
	} else {
		errs++
	}
	return fams, errs
}

type stat struct {
	utime, stime, starttime, vsize uint64
	rss                            int64
}

// procStat reads /proc/self/stat: the fields after the command's name,
// which may hold spaces and parentheses, so it is cut at its last ')'.
func procStat() (stat, error) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return stat{}, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return stat{}, errors.New("/proc/self/stat: no command name")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state): utime is field 14, stime 15, starttime 22,
	// vsize 23, rss 24.
	if len(f) < 22 {
		return stat{}, errors.New("/proc/self/stat: too few fields")
	}
	var s stat
	var errs [5]error
	s.utime, errs[0] = strconv.ParseUint(f[11], 10, 64)
	s.stime, errs[1] = strconv.ParseUint(f[12], 10, 64)
	s.starttime, errs[2] = strconv.ParseUint(f[19], 10, 64)
	s.vsize, errs[3] = strconv.ParseUint(f[20], 10, 64)
	s.rss, errs[4] = strconv.ParseInt(f[21], 10, 64)
	return s, errors.Join(errs[:]...)
}

// bootTime is btime of /proc/stat, the boot in Unix seconds.
func bootTime() (uint64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, errors.New("/proc/stat: no btime")
}

// openFDs counts /proc/self/fd (without the descriptor reading it: the
// directory's size says it on Linux 6.2 and later, as procfs reads it).
func openFDs() (int, error) {
	if fi, err := os.Stat("/proc/self/fd"); err == nil && fi.Size() > 0 {
		return int(fi.Size()), nil
	}
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	return len(names), err
}

// limits reads the soft limits on open files and on the address space
// from /proc/self/limits; "unlimited" is the largest uint64.
func limits() (files, space uint64, err error) {
	b, err := os.ReadFile("/proc/self/limits")
	if err != nil {
		return 0, 0, err
	}
	found := 0
	for line := range strings.Lines(string(b)) {
		var dst *uint64
		switch {
		case strings.HasPrefix(line, "Max open files "):
			dst = &files
		case strings.HasPrefix(line, "Max address space "):
			dst = &space
		default:
			continue
		}
		// "Max open files            1024                 1048576              files":
		// the columns are apart by two spaces or more, the name's words by one.
		_, rest, ok := strings.Cut(line, "  ")
		f := strings.Fields(rest)
		if !ok || len(f) < 1 {
			return 0, 0, errors.New("/proc/self/limits: " + strings.TrimSpace(line))
		}
		if f[0] == "unlimited" {
			*dst = math.MaxUint64
		} else if *dst, err = strconv.ParseUint(f[0], 10, 64); err != nil {
			return 0, 0, err
		}
		found++
	}
	if found < 2 {
		return 0, 0, errors.New("/proc/self/limits: no open files or address space limit")
	}
	return files, space, nil
}

// netOctets is IpExt's InOctets and OutOctets of /proc/self/net/netstat
// (0 when the kernel does not count them, as the client says then).
func netOctets() (in, out float64, err error) {
	b, err := os.ReadFile("/proc/self/net/netstat")
	if err != nil {
		return 0, 0, err
	}
	var names []string
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, "IpExt:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if names == nil {
			names = f
			continue
		}
		for i, n := range names {
			if i >= len(f) {
				break
			}
			v, perr := strconv.ParseFloat(f[i], 64)
			switch {
			case perr != nil && (n == "InOctets" || n == "OutOctets"):
				return 0, 0, perr
			case n == "InOctets":
				in = v
			case n == "OutOctets":
				out = v
			}
		}
		break
	}
	return in, out, nil
}
