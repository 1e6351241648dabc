import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TransactionRunner } from '../database/transaction-runner';
import { resourcePath } from '../http/api-base-path';
import { ApiEndpoint, ApiTenantHeaders } from '../http/api-endpoint.decorator';
import { Tenant } from '../tenancy/tenant.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { IdParamPipe } from '../validation/param.pipes';
import { NoteCreateDto } from './dto/note-create.dto';
import { NoteListQueryDto } from './dto/note-list-query.dto';
import { NoteAddedDto, NoteResponseDto } from './dto/note-response.dto';
import { NotesService } from './notes.service';

const ID = new IdParamPipe();

/** The notes of a service (docs/API.md §4.5): HTTP only; the rules are in NotesService. */
@ApiTags('Notes')
@ApiTenantHeaders()
@Controller('services/:service_id/notes')
export class NotesController {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly notes: NotesService,
  ) {}

  @Post()
  @ApiEndpoint({
    summary: 'Add a note to a service',
    status: 201,
    type: NoteAddedDto,
    location: '/genesys/1/cs/services/111222/notes/42',
    errors: [400, 404, 413, 415, 500, 503],
  })
  async add(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Body() body: NoteCreateDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<NoteAddedDto> {
    const id = await this.transactions.transaction((manager) =>
      this.notes.add(manager, tenant, serviceId, body, Date.now()),
    );
    response.header('Location', resourcePath('services', serviceId, 'notes', id));
    return { note_id: id };
  }

  @Get()
  @ApiEndpoint({
    summary: "A service's notes, oldest first",
    type: [NoteResponseDto],
    errors: [400, 404, 500, 503],
  })
  list(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Query() query: NoteListQueryDto,
  ): Promise<NoteResponseDto[]> {
    return this.transactions.read((manager) => this.notes.list(manager, tenant, serviceId, query));
  }

  @Get(':note_id')
  @ApiEndpoint({
    summary: 'One note of a service',
    type: NoteResponseDto,
    errors: [400, 404, 500, 503],
  })
  get(
    @Tenant() tenant: TenantContext,
    @Param('service_id', ID) serviceId: number,
    @Param('note_id', ID) id: number,
  ): Promise<NoteResponseDto> {
    return this.transactions.read((manager) => this.notes.get(manager, tenant, serviceId, id));
  }
}
