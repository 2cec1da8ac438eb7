package server

// advisoryRoutes are the public advisories' routes, the public pages and the
// CAP feed included.
func (s *Server) advisoryRoutes() []route { return nil }
