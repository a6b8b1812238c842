"""Geography: countries, UN M49 regions, Global South definitions and city resolution."""
