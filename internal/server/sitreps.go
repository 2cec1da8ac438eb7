package server

// sitrepRoutes are the situation reports' routes.
func (s *Server) sitrepRoutes() []route { return nil }
