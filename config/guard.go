package config

import (
	"fmt"
	"slices"
	"strings"
)

// CostTrap is a choice that bills a large amount whatever the blogs' traffic. The original team
// learnt this the hard way: Azure NetApp Files billed its 4 TiB capacity-pool minimum, 40,000
// JPY in four days, for a few GB of wp-content. A stack may still make such a choice, but only
// by naming the trap in cost.allow.
type CostTrap struct {
	Name string
	// Why says what it costs, for the error message.
	Why string
}

// Config-level traps.
var (
	TrapAKSStandardTier = CostTrap{"aks-standard-tier", "the AKS Standard tier bills ~$73 a month per cluster for its uptime SLA"}
	TrapRegistrySKU     = CostTrap{"registry-premium-sku", "Standard and Premium registries bill ~$20 and ~$50 a month against Basic's ~$5, for capacity a few images never use"}
	TrapPremiumDisk     = CostTrap{"premium-disk", "Premium SSDs bill their whole provisioned tier, a few times the price of Standard SSD, used or not"}
	TrapMySQLHA         = CostTrap{"mysql-high-availability", "high availability doubles the MySQL compute bill with a standby server"}
	TrapMySQLBusiness   = CostTrap{"mysql-business-critical", "BusinessCritical MySQL starts at several hundred dollars a month"}
	TrapDedicatedSystem = CostTrap{"dedicated-system-pool", "a dedicated System pool adds a node (Standard_D4s_v5 by default, ~$180 a month) that runs no blog"}
)

// ResourceTraps are resource types that bill a large minimum on their own; the offline plan
// refuses them (a type prefix each) unless cost.allow names them.
var ResourceTraps = map[string]CostTrap{
	"azure-native:netapp:":                         {"netapp-files", "Azure NetApp Files bills a capacity pool of 1-4 TiB from the first hour, whatever it holds"},
	"azure-native:network:ApplicationGateway":      {"application-gateway", "an Application Gateway bills ~$180-$330 a month before traffic"},
	"azure-native:network:AzureFirewall":           {"azure-firewall", "Azure Firewall bills ~$900 a month before traffic"},
	"azure-native:network:DdosProtectionPlan":      {"ddos-protection", "a DDoS Protection plan bills ~$2,900 a month"},
	"azure-native:network/v20240501:AzureFirewall": {"azure-firewall", "Azure Firewall bills ~$900 a month before traffic"},
}

// allTrapNames are the names cost.allow accepts.
func allTrapNames() []string {
	names := []string{TrapAKSStandardTier.Name, TrapRegistrySKU.Name, TrapPremiumDisk.Name, TrapMySQLHA.Name, TrapMySQLBusiness.Name, TrapDedicatedSystem.Name}
	for _, t := range ResourceTraps {
		if !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	slices.Sort(names)
	return names
}

// Allows reports whether the stack accepts a trap.
func (c Config) Allows(t CostTrap) bool { return slices.Contains(c.Cost.Allow, t.Name) }

// validateCostTraps refuses every trap the config walks into that cost.allow does not name.
func validateCostTraps(c Config) Problems {
	var probs Problems
	known := allTrapNames()
	for i, name := range c.Cost.Allow {
		if !slices.Contains(known, name) {
			probs.add(fmt.Sprintf("cost.allow[%d]", i), name, "is not a known cost trap (known: "+strings.Join(known, ", ")+")")
		}
	}
	trap := func(hit bool, key, value string, t CostTrap) {
		if hit && !c.Allows(t) {
			probs.add(key, value, fmt.Sprintf("is a cost trap: %s; add %q to cost.allow to accept it", t.Why, t.Name))
		}
	}
	trap(c.AKS.Tier == "Standard", "aks.tier", c.AKS.Tier, TrapAKSStandardTier)
	trap(c.Registry.SKU == "Standard" || c.Registry.SKU == "Premium", "registry.sku", c.Registry.SKU, TrapRegistrySKU)
	trap(strings.HasPrefix(c.NFS.DataDiskSKU, "Premium"), "nfs.dataDiskSku", c.NFS.DataDiskSKU, TrapPremiumDisk)
	// On Burstable, HA is refused outright (validateMySQL); the trap only applies where Azure
	// would accept it.
	trap(c.MySQL.Tier != "Burstable" && (c.MySQL.HighAvailability == "SameZone" || c.MySQL.HighAvailability == "ZoneRedundant"), "mysql.highAvailability", c.MySQL.HighAvailability, TrapMySQLHA)
	trap(c.MySQL.Tier == "BusinessCritical", "mysql.tier", c.MySQL.Tier, TrapMySQLBusiness)
	trap(c.AKS.SystemPool == SystemPoolDedicated, "aks.systemPool", c.AKS.SystemPool, TrapDedicatedSystem)
	return probs
}
