import { Route, Router } from "@solidjs/router";
import { lazy } from "solid-js";
import { Upcoming } from "./pages/upcoming.tsx";
import { Layout } from "./ui/layout.tsx";

const Dashboard = lazy(() => import("./pages/dashboard.tsx"));
const NotFound = lazy(() => import("./pages/not-found.tsx"));
const Recommendations = lazy(() => import("./pages/recommendations.tsx"));

export function App() {
  return (
    <Router root={Layout}>
      <Route path="/" component={Dashboard} />
      <Route path="/sources/*" component={() => <Upcoming page="sources" />} />
      <Route path="/mappings/*" component={() => <Upcoming page="mappings" />} />
      <Route path="/anomalies/*" component={() => <Upcoming page="anomalies" />} />
      <Route path="/customers/*" component={() => <Upcoming page="customers" />} />
      <Route path="/recommendations" component={Recommendations} />
      <Route path="/audit/*" component={() => <Upcoming page="audit" />} />
      <Route path="/settings/*" component={() => <Upcoming page="settings" />} />
      <Route path="*404" component={NotFound} />
    </Router>
  );
}
