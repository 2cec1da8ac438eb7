package server

// stockViewRoutes are the stock pages: stock on hand, the bin card, low
// stock and expiring stock.
func (s *Server) stockViewRoutes() []route { return nil }
