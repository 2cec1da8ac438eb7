package store

// builtinRegisters are the registers every LEOC has. Each is declared in its
// own file (eventlogs.go, incidents.go, …); add yours to this list.
func builtinRegisters() []Register {
	return []Register{
		EventLogRegister,
		IncidentRegister,
		DistributionRegister,
		FundRegister,
		SitrepRegister,
		AdvisoryRegister,
		BeneficiaryRegister,
		ContactRegister,
		InventoryItemRegister,
		WarehouseRegister,
	}
}
