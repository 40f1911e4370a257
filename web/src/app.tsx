import { Route, Router } from "@solidjs/router";
import { lazy } from "solid-js";
import { preloadDashboard } from "./pages/dashboard-preload.ts";
import { Layout } from "./ui/layout.tsx";

const Dashboard = lazy(() => import("./pages/dashboard.tsx"));
const NotFound = lazy(() => import("./pages/not-found.tsx"));
const Settings = lazy(() => import("./pages/settings.tsx"));
const Recommendations = lazy(() => import("./pages/recommendations.tsx"));
const RecommendationDetail = lazy(() => import("./pages/recommendation-detail.tsx"));
const Audit = lazy(() => import("./pages/audit.tsx"));
const Customers = lazy(() => import("./pages/customers.tsx"));
const CustomerDetail = lazy(() => import("./pages/customer-detail.tsx"));
const CustomerMerges = lazy(() => import("./pages/customer-merges.tsx"));
const Wines = lazy(() => import("./pages/wines.tsx"));
const WineCustomers = lazy(() => import("./pages/wine-customers.tsx"));
const Sources = lazy(() => import("./pages/sources.tsx"));
const SourceDetail = lazy(() => import("./pages/source-detail.tsx"));
const Anomalies = lazy(() => import("./pages/anomalies.tsx"));
const Mappings = lazy(() => import("./pages/mappings.tsx"));
const MappingEditor = lazy(() => import("./pages/mapping-editor.tsx"));

export function App() {
  return (
    <Router root={Layout}>
      <Route path="/" component={Dashboard} preload={preloadDashboard} />
      <Route path="/sources" component={Sources} />
      <Route path="/sources/:id" component={SourceDetail} />
      <Route path="/mappings" component={Mappings} />
      <Route path="/mappings/new" component={MappingEditor} />
      <Route path="/mappings/:id" component={MappingEditor} />
      <Route path="/anomalies" component={Anomalies} />
      <Route path="/customers" component={Customers} />
      <Route path="/customers/merges" component={CustomerMerges} />
      <Route path="/customers/:id" component={CustomerDetail} />
      <Route path="/wines" component={Wines} />
      <Route path="/wines/:id" component={WineCustomers} />
      <Route path="/recommendations" component={Recommendations} />
      <Route path="/recommendations/:id" component={RecommendationDetail} />
      <Route path="/audit" component={Audit} />
      <Route path="/settings/*" component={Settings} />
      <Route path="*404" component={NotFound} />
    </Router>
  );
}
