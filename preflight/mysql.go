package preflight

// This file owns the MySQL Flexible Server check, against the region's capability set at the
// API the program creates the server with (2023-12-30): the version, the tier and SKU, the
// storage size and backup retention, and geo-redundant backup and high availability when the
// stack asks for them. The API's own version enum lists only 5.7 and 8.0.21, so this is where
// the user learns before create whether the region takes "8.4".

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// checkMySQL asks what MySQL Flexible Server offers in the stack's region.
func checkMySQL(ctx context.Context, az Azure, s Stack) []Result {
	m := s.Config.MySQL
	loc := s.Config.Location
	asked := fmt.Sprintf("GET /subscriptions/%s/providers/Microsoft.DBforMySQL/locations/%s/capabilitySets/default?api-version=%s", az.SubscriptionID(), loc, apiMySQL)
	caps, err := az.MySQLCapabilities(ctx, loc)
	if err != nil {
		return []Result{{Status: Warn, Check: "mysql capabilities", Asked: asked,
			Answer: "could not read MySQL Flexible Server's capabilities (" + azureError(err) + "), so the version, SKU and storage are not checked",
			Fix:    "check yourself: az mysql flexible-server list-skus --location " + loc}}
	}
	var results []Result

	version := Result{Status: OK, Check: "mysql.version " + m.Version, Asked: asked}
	if slices.Contains(caps.Versions, m.Version) {
		version.Answer = fmt.Sprintf("%s offers %s (offered: %s)", loc, m.Version, orNone(caps.Versions))
	} else {
		version.Status = Fail
		version.Answer = fmt.Sprintf("%s does not offer MySQL %s (offered: %s)", loc, m.Version, orNone(caps.Versions))
		if len(caps.Versions) > 0 {
			newest := slices.Clone(caps.Versions)
			sortVersions(newest)
			version.Fix = fmt.Sprintf("set mysql.version to %q; or choose a location that offers %s", newest[len(newest)-1], m.Version)
		} else {
			version.Fix = "choose another location"
		}
	}
	results = append(results, version)

	sku := Result{Status: OK, Check: fmt.Sprintf("mysql.skuName %s (%s)", m.SKUName, m.Tier), Asked: asked}
	var edition *MySQLEdition
	for i := range caps.Editions {
		if strings.EqualFold(caps.Editions[i].Name, m.Tier) {
			edition = &caps.Editions[i]
		}
	}
	var skuCap *MySQLSKU
	if edition != nil {
		for i := range edition.SKUs {
			if strings.EqualFold(edition.SKUs[i].Name, m.SKUName) {
				skuCap = &edition.SKUs[i]
			}
		}
	}
	switch {
	case edition == nil:
		var tiers []string
		for _, e := range caps.Editions {
			tiers = append(tiers, e.Name)
		}
		sku.Status = Fail
		sku.Answer = fmt.Sprintf("%s offers no %s tier (tiers: %s)", loc, m.Tier, orNone(tiers))
		sku.Fix = "set mysql.tier to one of " + orNone(tiers) + " with a mysql.skuName of that tier"
	case skuCap == nil:
		var names []string
		for _, k := range edition.SKUs {
			names = append(names, k.Name)
		}
		sku.Status = Fail
		sku.Answer = fmt.Sprintf("%s's %s tier does not offer %s (offered: %s)", loc, m.Tier, m.SKUName, orNone(names))
		if len(names) > 0 {
			sku.Fix = fmt.Sprintf("set mysql.skuName to %s", names[0])
		}
	default:
		sku.Answer = fmt.Sprintf("offered in %s (%d vCores, zones %s)", loc, skuCap.VCores, orNone(skuCap.Zones))
	}
	results = append(results, sku)

	if edition != nil {
		st := Result{Status: OK, Check: fmt.Sprintf("mysql.storageGB %d, backupRetentionDays %d", m.StorageGB, m.BackupRetentionDays), Asked: asked}
		minGB, maxGB := edition.MinStorageMB/1024, edition.MaxStorageMB/1024
		st.Answer = fmt.Sprintf("%s takes %d-%d GB of storage and %d-%d days of backup retention", m.Tier, minGB, maxGB, edition.MinBackupDays, edition.MaxBackupDays)
		var fixes []string
		if int64(m.StorageGB) < minGB || int64(m.StorageGB) > maxGB {
			fixes = append(fixes, fmt.Sprintf("set mysql.storageGB to %d", min(max(int64(m.StorageGB), minGB), maxGB)))
		}
		if edition.MaxBackupDays > 0 && (int64(m.BackupRetentionDays) < edition.MinBackupDays || int64(m.BackupRetentionDays) > edition.MaxBackupDays) {
			fixes = append(fixes, fmt.Sprintf("set mysql.backupRetentionDays to %d", min(max(int64(m.BackupRetentionDays), edition.MinBackupDays), edition.MaxBackupDays)))
		}
		if len(fixes) > 0 {
			st.Status, st.Fix = Fail, strings.Join(fixes, " and ")
		}
		results = append(results, st)
	}

	if m.GeoRedundantBackup {
		geo := Result{Status: OK, Check: "mysql.geoRedundantBackup", Asked: asked,
			Answer: fmt.Sprintf("%s backs up to %s", loc, orNone(caps.GeoBackupRegions))}
		if len(caps.GeoBackupRegions) == 0 {
			geo.Status = Fail
			geo.Answer = loc + " lists no region for geo-redundant backups"
			geo.Fix = "set mysql.geoRedundantBackup to false, or choose a location with a paired region"
		}
		results = append(results, geo)
	}
	if m.HighAvailability != "" && m.HighAvailability != "Disabled" && skuCap != nil {
		ha := Result{Status: OK, Check: "mysql.highAvailability " + m.HighAvailability, Asked: asked,
			Answer: fmt.Sprintf("%s supports %s", m.SKUName, orNone(skuCap.HAModes))}
		if !slices.Contains(skuCap.HAModes, m.HighAvailability) {
			ha.Status = Fail
			ha.Answer = fmt.Sprintf("%s in %s supports high availability modes: %s", m.SKUName, loc, orNone(skuCap.HAModes))
			ha.Fix = "set mysql.highAvailability to Disabled, or choose a GeneralPurpose or BusinessCritical mysql.skuName"
		}
		results = append(results, ha)
	}
	return results
}
