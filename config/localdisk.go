package config

// This file owns the ephemeral OS disk check: an Ephemeral OS disk lives on the VM's cache disk,
// or on its temp (resource) disk when there is no cache, and AKS refuses a pool whose OS disk
// does not fit there. Checking it here turns that refusal, which would come half-way through
// `pulumi up`, into a config error before anything is touched.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// localDisk is a VM size's local storage in GiB: the cache disk (0 when the size has none) and
// the temp disk (0 when it has none).
type localDisk struct {
	cacheGiB int
	tempGiB  int
}

// localDisks are the cache and temp disk sizes of the VM sizes the program knows, from Azure's
// size pages on learn.microsoft.com, read 2026-12-03: "B-series burstable" (temp storage 4-64
// GiB, no cache; ephemeral OS disks supported, so on the temp disk), "Bsv2/Basv2-series" (no
// local storage), "Fsv2-series" (F2s_v2: 16 GiB temp, 32 GiB cache), "Dv3 and Dsv3-series",
// "Dsv5/Dasv5-series" (no local storage) and "Ddsv5/Dadsv5-series" (temp only).
var localDisks = map[string]localDisk{
	"Standard_B1ms": {0, 4}, "Standard_B2s": {0, 8}, "Standard_B2ms": {0, 16}, "Standard_B4ms": {0, 32}, "Standard_B8ms": {0, 64},
	"Standard_B2ls_v2": {}, "Standard_B2s_v2": {}, "Standard_B4s_v2": {}, "Standard_B8s_v2": {},
	"Standard_F2s_v2": {32, 16}, "Standard_F4s_v2": {64, 32}, "Standard_F8s_v2": {128, 64}, "Standard_F16s_v2": {256, 128},
	"Standard_D2s_v3": {50, 16}, "Standard_D4s_v3": {100, 32}, "Standard_D8s_v3": {200, 64},
	"Standard_D2s_v5": {}, "Standard_D4s_v5": {}, "Standard_D8s_v5": {}, "Standard_D16s_v5": {},
	"Standard_D2as_v5": {}, "Standard_D4as_v5": {}, "Standard_D8as_v5": {},
	"Standard_D2ds_v5": {0, 75}, "Standard_D4ds_v5": {0, 150}, "Standard_D8ds_v5": {0, 300},
	"Standard_D2ads_v5": {0, 75}, "Standard_D4ads_v5": {0, 150}, "Standard_D8ads_v5": {0, 300},
}

// EphemeralOSDiskMaxGB is the largest ephemeral OS disk a VM size holds: its cache disk when it
// has one (AKS places the OS disk there first), else its temp disk; 0 when it has neither. ok is
// false for a size the program does not know.
func EphemeralOSDiskMaxGB(vmSize string) (maxGB int, ok bool) {
	d, ok := localDisks[vmSize]
	if !ok {
		return 0, false
	}
	return max(d.cacheGiB, d.tempGiB), true
}

// validateEphemeralOSDisk checks that an Ephemeral OS disk fits the pool's VM size.
func validateEphemeralOSDisk(probs *Problems, key string, p NodePool) {
	if p.OSDiskType != "Ephemeral" {
		return
	}
	maxGB, ok := EphemeralOSDiskMaxGB(p.VMSize)
	switch {
	case !ok:
		known := make([]string, 0, len(localDisks))
		for size := range localDisks {
			known = append(known, size)
		}
		slices.Sort(known)
		probs.add(key+".osDiskType", p.OSDiskType, fmt.Sprintf("the cache and temp disk of %s are not known to this program, so an ephemeral OS disk cannot be checked to fit; use Managed, or one of %s", p.VMSize, strings.Join(known, ", ")))
	case maxGB == 0:
		probs.add(key+".osDiskType", p.OSDiskType, fmt.Sprintf("%s has no cache or temp disk to hold an ephemeral OS disk; use Managed", p.VMSize))
	case p.OSDiskSizeGB > maxGB:
		probs.add(key+".osDiskType", p.OSDiskType, fmt.Sprintf("%s holds an ephemeral OS disk of at most %d GB (its cache or temp disk) but %s is %s; use Managed, a smaller %s (AKS's node image needs 30) or a size with a larger cache",
			p.VMSize, maxGB, key+".osDiskSizeGB", strconv.Itoa(p.OSDiskSizeGB), key+".osDiskSizeGB"))
	}
}
