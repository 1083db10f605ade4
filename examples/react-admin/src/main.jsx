// A react-admin CRM: companies and their contacts, over a json-server API
// with ra-data-json-server. The lines marked "offline" are everything it
// adds for offline mode (the tests count them).
import { QueryClient } from "@tanstack/react-query"; // offline
import jsonServerProvider from "ra-data-json-server";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Admin, Create, Datagrid, Edit, EmailField, HttpError, Layout, List, ReferenceField, ReferenceManyField, Resource, Show, SimpleForm, SimpleShowLayout, TextField, TextInput } from "react-admin";
import "offline-runtime/offline-runtime.css"; // offline
import { OfflineBanner, useServiceWorker } from "offline-runtime/react"; // offline
import { OfflineActions, offlineQueryClient, withOfflineRecords } from "offline-runtime/react-admin"; // offline

const status = { probeUrl: "/api/health" }; // offline
const dataProvider = withOfflineRecords(jsonServerProvider("/api"), { status, HttpError }); // offline
const queryClient = offlineQueryClient(new QueryClient(), { status }); // offline
const OfflineLayout = ({ children }) => <Layout><OfflineBanner status={status} /><OfflineActions status={status} />{children}</Layout>; // offline

const contactFilters = [<TextInput key="q" source="q" label="Search" alwaysOn />];

const ContactList = () => (
  <List filters={contactFilters} sort={{ field: "id", order: "ASC" }} perPage={10}>
    <Datagrid rowClick="show">
      <TextField source="id" />
      <TextField source="first_name" />
      <TextField source="last_name" />
      <ReferenceField source="companyId" reference="companies" />
    </Datagrid>
  </List>
);

const ContactShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="first_name" />
      <TextField source="last_name" />
      <EmailField source="email" />
      <ReferenceField source="companyId" reference="companies" link="show" />
    </SimpleShowLayout>
  </Show>
);

const ContactEdit = () => (
  <Edit mutationMode="pessimistic"> {/* offline */}
    <SimpleForm>
      <TextInput source="first_name" />
      <TextInput source="last_name" />
    </SimpleForm>
  </Edit>
);

const ContactCreate = () => (
  <Create>
    <SimpleForm>
      <TextInput source="first_name" />
      <TextInput source="last_name" />
    </SimpleForm>
  </Create>
);

const CompanyList = () => (
  <List sort={{ field: "id", order: "ASC" }}>
    <Datagrid rowClick="show">
      <TextField source="id" />
      <TextField source="name" />
      <TextField source="sector" />
    </Datagrid>
  </List>
);

const CompanyShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="name" />
      <TextField source="sector" />
      <ReferenceManyField reference="contacts" target="companyId" label="Contacts" sort={{ field: "last_name", order: "ASC" }}>
        <Datagrid rowClick="show" className="company-contacts">
          <TextField source="first_name" />
          <TextField source="last_name" />
        </Datagrid>
      </ReferenceManyField>
    </SimpleShowLayout>
  </Show>
);

function App() {
  useServiceWorker("sw.js"); // offline
  return (
    <Admin dataProvider={dataProvider} queryClient={queryClient} layout={OfflineLayout} disableTelemetry> {/* offline */}
      <Resource name="contacts" list={ContactList} show={ContactShow} edit={ContactEdit} create={ContactCreate} recordRepresentation={(c) => `${c.first_name} ${c.last_name}`} />
      <Resource name="companies" list={CompanyList} show={CompanyShow} recordRepresentation="name" />
    </Admin>
  );
}

createRoot(document.getElementById("root")).render(<StrictMode><App /></StrictMode>);
