package server

// incidentRoutes are the incident register's routes (pages, API, stats,
// exports).
func (s *Server) incidentRoutes() []route { return nil }
